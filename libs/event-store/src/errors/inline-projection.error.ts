import { EventStoreError } from './event-store.error';

/**
 * An inline projection failed on an event of an append; the append and every
 * read-model write of its transaction were rolled back. The projection's own
 * error is the `cause`.
 */
export class InlineProjectionError extends EventStoreError {
  readonly code = 'INLINE_PROJECTION_FAILED';

  /**
   * @param projectionName the `@EventProjection` name
   * @param eventId the event it was applying
   * @param cause what `apply` threw
   */
  constructor(
    readonly projectionName: string,
    readonly eventId: string,
    cause: unknown,
  ) {
    super(
      `Inline projection '${projectionName}' failed on event ${eventId}; the append was rolled back: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
  }
}
