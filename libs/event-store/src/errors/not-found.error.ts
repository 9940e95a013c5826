import { EventStoreError } from './event-store.error';

/**
 * Base of the store's "does not exist for this tenant" errors. Another
 * tenant's id answers the same way, so ids cannot be probed across tenants.
 * Catch this class for any of them; each subclass has its own `code`.
 */
export abstract class NotFoundError extends EventStoreError {
  protected constructor(
    /** What was looked for. */
    readonly kind: 'event' | 'stream',
    /** The id it was looked for by (event id, aggregate id). */
    readonly id: string,
  ) {
    super(`No ${kind} '${id}' in this tenant`);
  }
}
