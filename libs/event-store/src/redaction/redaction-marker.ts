import { randomUUID } from 'node:crypto';
import { Queryable } from '../database/queryable';
import { EventsRedacted, REDACTION_MARKER, RedactedEventRef } from '../types/redaction';
import { StoredDomainEvent } from '../types/stored-domain-event';
import { APPEND_MARKER_SQL } from './redaction.sql';

/**
 * Appends the `$EventsRedacted` marker to the tenant's `$redactions` stream,
 * inside the redaction's transaction, through the store's append function
 * (the shape of its `p_events` is documented in append-events.ts). The
 * marker takes its place in the gap-safe order like any event, so every
 * projection and subscriber meets it after the events it names.
 */
export async function appendRedactionMarker(q: Queryable, tenantId: string, events: RedactedEventRef[]): Promise<void> {
  const marker = {
    i: 0,
    k: 1,
    event_id: randomUUID(),
    aggregate_type: REDACTION_MARKER.aggregateType,
    aggregate_id: REDACTION_MARKER.aggregateId,
    event_type: REDACTION_MARKER.eventType,
    event_version: 1,
    occurred_at: new Date().toISOString(),
    data: { events },
    metadata: {},
  };
  await q.query(APPEND_MARKER_SQL, [tenantId, JSON.stringify([marker])]);
}

/** True for the marker event of a redaction. */
export function isRedactionMarker(event: Pick<StoredDomainEvent, 'eventType' | 'aggregateType'>): boolean {
  return event.eventType === REDACTION_MARKER.eventType && event.aggregateType === REDACTION_MARKER.aggregateType;
}

/** What a marker event announces, in the shape handed to `onRedacted`. */
export function toEventsRedacted(marker: StoredDomainEvent): EventsRedacted {
  const events = (marker.data as { events?: RedactedEventRef[] }).events ?? [];
  return {
    tenantId: marker.tenantId,
    markerEventId: marker.eventId,
    globalPosition: marker.globalPosition,
    redactedAt: marker.storedAt,
    events,
  };
}
