import { EventStoreError } from '../errors/event-store.error';

/** An emitted payload that cannot be mapped to a stored event (no aggregate id, no tenant, not an object). */
export class EmitterCaptureMappingError extends EventStoreError {
  readonly code = 'EMITTER_CAPTURE_MAPPING';

  constructor(
    readonly eventName: string,
    readonly field: string,
    readonly reason: string,
  ) {
    super(`Cannot capture '${eventName}': payload.${field} ${reason}`);
  }
}
