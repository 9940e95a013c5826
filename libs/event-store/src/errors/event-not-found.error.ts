import { EventStoreError } from './event-store.error';

/**
 * The event, stream or snapshot does not exist for this tenant. Another
 * tenant's id answers the same way, so ids cannot be probed across tenants.
 */
export class EventNotFoundError extends EventStoreError {
  readonly code = 'NOT_FOUND';

  constructor(
    readonly kind: 'event' | 'stream' | 'snapshot',
    readonly id: string,
  ) {
    super(`No ${kind} '${id}' in this tenant`);
  }
}
