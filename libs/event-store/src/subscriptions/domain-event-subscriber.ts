import { StoredDomainEvent } from '../types/stored-domain-event';

/**
 * A provider that reacts to committed events. Delivery is at-least-once, in
 * the store's global order: make `handle` idempotent (the event id is a
 * natural deduplication key). A throw is retried with backoff, and after the
 * configured attempts the event is parked as a dead letter.
 */
export interface DomainEventSubscriber {
  handle(event: StoredDomainEvent): Promise<void> | void;
}
