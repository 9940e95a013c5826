import { StreamCheckpoint } from '../types/read-options';
import { StoredDomainEvent } from '../types/stored-domain-event';

/** A `stored_domain_events` row as the pg driver returns it. */
export interface EventRow {
  global_position: string;
  event_id: string;
  tenant_id: string;
  aggregate_type: string;
  aggregate_id: string;
  aggregate_version: number;
  event_type: string;
  event_version: number;
  occurred_at: Date;
  stored_at: Date;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  transaction_id: string;
  is_redacted: boolean;
  redacted_at: Date | null;
}

/** Column list of every event read, in one place so reads and mapping agree. */
export const EVENT_COLUMNS = `global_position, event_id, tenant_id, aggregate_type, aggregate_id, aggregate_version,
  event_type, event_version, occurred_at, stored_at, data, metadata, transaction_id, is_redacted, redacted_at`;

/** Maps a row to the public event shape. */
export function toStoredEvent(row: EventRow): StoredDomainEvent {
  return {
    globalPosition: String(row.global_position),
    eventId: row.event_id,
    tenantId: row.tenant_id,
    aggregateType: row.aggregate_type,
    aggregateId: row.aggregate_id,
    aggregateVersion: row.aggregate_version,
    eventType: row.event_type,
    eventVersion: row.event_version,
    occurredAt: row.occurred_at,
    storedAt: row.stored_at,
    data: row.data,
    metadata: row.metadata,
    transactionId: String(row.transaction_id),
    isRedacted: row.is_redacted,
    redactedAt: row.redacted_at,
  };
}

/** A row of EVENT_COLUMNS (or of a function returning SETOF stored_domain_events) in pg's array row mode. */
export type EventColumns = unknown[];

/** Where EVENT_COLUMNS puts the checkpoint's parts. */
export const GLOBAL_POSITION_COLUMN = 0;
export const TRANSACTION_ID_COLUMN = 12;

/**
 * Maps a row of the gap-safe order, as an array of EVENT_COLUMNS (pg's
 * rowMode 'array'), to an event carrying its checkpoint. Streamed reads skip
 * the driver's row object: one object per event less to build and collect.
 * One literal: every streamed event gets the same object shape at once
 * (adding the checkpoint afterwards measured slower on the hot path).
 */
export function columnsToCheckpointedEvent(row: EventColumns): StoredDomainEvent & { checkpoint: StreamCheckpoint } {
  const transactionId = String(row[TRANSACTION_ID_COLUMN]);
  const globalPosition = String(row[GLOBAL_POSITION_COLUMN]);
  return {
    globalPosition,
    eventId: row[1] as string,
    tenantId: row[2] as string,
    aggregateType: row[3] as string,
    aggregateId: row[4] as string,
    aggregateVersion: row[5] as number,
    eventType: row[6] as string,
    eventVersion: row[7] as number,
    occurredAt: row[8] as Date,
    storedAt: row[9] as Date,
    data: row[10] as Record<string, unknown>,
    metadata: row[11] as Record<string, unknown>,
    transactionId,
    isRedacted: row[13] as boolean,
    redactedAt: row[14] as Date | null,
    checkpoint: { transactionId, globalPosition },
  };
}
