import { EventsRedacted } from '../types/redaction';
import { StoredDomainEvent } from '../types/stored-domain-event';

/**
 * A provider that reacts to committed events. Delivery is at-least-once, in
 * the store's global order: make `handle` idempotent (the event id is a
 * natural deduplication key). A throw is retried with backoff, and after the
 * configured attempts the event is parked as a dead letter.
 */
export interface DomainEventSubscriber {
  handle(event: StoredDomainEvent): Promise<void> | void;
  /**
   * Optional: these events were redacted (GDPR). Called in the global order,
   * at least once, after the events it names were delivered to `handle`.
   * Remove or overwrite whatever personal data you copied out of them
   * (caches, search indexes, mails not sent yet). Without this method the
   * subscriber never sees redactions.
   */
  onRedacted?(redaction: EventsRedacted): Promise<void> | void;
}
