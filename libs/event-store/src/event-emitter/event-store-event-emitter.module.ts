import { DynamicModule, Module } from '@nestjs/common';
import { EventEmitterCapture } from './event-emitter-capture';
import { EVENT_EMITTER_CAPTURE_OPTIONS, EventEmitterCaptureOptions } from './event-emitter-capture.options';
import { validateCaptureOptions } from './validate-capture-options';

/**
 * Stores the events an app emits on `@nestjs/event-emitter`, by a mapping
 * from event names to event type, aggregate type and aggregate id. Needs
 * `EventEmitterModule.forRoot()` and `EventStoreModule.forRoot()`.
 *
 * ```ts
 * imports: [EventEmitterModule.forRoot(), EventStoreModule.forRoot({ … }), EventStoreEventEmitterModule.forRoot({ defaultTenantId: 'acme' })]
 * ```
 */
@Module({})
export class EventStoreEventEmitterModule {
  /**
   * Registers the capture with its options (every option has a default).
   * @throws InvalidEventStoreOptionsError naming a bad option
   */
  static forRoot(options: EventEmitterCaptureOptions = {}): DynamicModule {
    validateCaptureOptions(options);
    return {
      // Global, so that any module (metrics, a toggle endpoint) can inject EventEmitterCapture.
      global: true,
      module: EventStoreEventEmitterModule,
      providers: [{ provide: EVENT_EMITTER_CAPTURE_OPTIONS, useValue: options }, EventEmitterCapture],
      exports: [EventEmitterCapture],
    };
  }
}
