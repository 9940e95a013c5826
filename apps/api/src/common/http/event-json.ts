import { StoredDomainEvent } from '@nest-event-store/core';

/** A stored event as the API returns it (see API.md): positions as strings, dates as ISO-8601. */
export interface EventJson {
  eventId: string;
  tenantId: string;
  aggregateType: string;
  aggregateId: string;
  aggregateVersion: number;
  eventType: string;
  eventVersion: number;
  globalPosition: string;
  occurredAt: string;
  storedAt: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  isRedacted: boolean;
  redactedAt: string | null;
}

/**
 * Maps a stored event to its JSON form. The transaction id stays internal: it
 * is a detail of gap-safe ordering, and clients page with opaque cursors.
 */
export function toEventJson(event: StoredDomainEvent): EventJson {
  return {
    eventId: event.eventId,
    tenantId: event.tenantId,
    aggregateType: event.aggregateType,
    aggregateId: event.aggregateId,
    aggregateVersion: event.aggregateVersion,
    eventType: event.eventType,
    eventVersion: event.eventVersion,
    globalPosition: event.globalPosition,
    occurredAt: event.occurredAt.toISOString(),
    storedAt: event.storedAt.toISOString(),
    data: event.data,
    metadata: event.metadata,
    isRedacted: event.isRedacted,
    redactedAt: event.redactedAt ? event.redactedAt.toISOString() : null,
  };
}
