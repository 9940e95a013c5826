import { EventStoreError } from './event-store.error';

/**
 * An event id was sent again with other content (or as part of a different
 * batch). Re-sending identical content is not an error: it is idempotent.
 */
export class DuplicateEventError extends EventStoreError {
  readonly code = 'DUPLICATE_EVENT_ID';

  constructor(
    readonly eventId: string,
    detail = 'was already stored with different content',
  ) {
    super(`Event '${eventId}' ${detail}`);
  }
}
