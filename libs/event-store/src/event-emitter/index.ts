// Capture from @nestjs/event-emitter: a separate entry point (`@nest-event-store/core/event-emitter`),
// so that apps without @nestjs/event-emitter never load it.
export { EventStoreEventEmitterModule } from './event-store-event-emitter.module';
export { EventEmitterCapture, CaptureStats } from './event-emitter-capture';
export {
  EventEmitterCaptureOptions,
  EmitterEventMapping,
  CaptureRetryPolicy,
  CaptureDeadLetter,
  EVENT_EMITTER_CAPTURE_OPTIONS,
} from './event-emitter-capture.options';
export { DEFAULT_EMITTER_MAPPINGS } from './default-emitter-mappings';
export { EmitterCaptureMappingError } from './emitter-capture.error';
