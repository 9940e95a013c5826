import { StoredDomainEvent } from '../types/stored-domain-event';

// The stored envelope of each forwarded event instance, without adding a
// property that the app's event class does not declare.
const envelopes = new WeakMap<object, StoredDomainEvent>();

/** Remembers the stored envelope of a forwarded event instance. */
export function attachEnvelope<T extends object>(event: T, stored: StoredDomainEvent): T {
  envelopes.set(event, stored);
  return event;
}

/**
 * The stored envelope (tenant, stream, version, position, metadata) of an
 * event that the bridge published on the EventBus; undefined for an event
 * that did not come from the store.
 */
export function getEventEnvelope(event: object): StoredDomainEvent | undefined {
  return envelopes.get(event);
}
