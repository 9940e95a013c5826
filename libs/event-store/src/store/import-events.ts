import { EventStoreDatabase } from '../database/event-store-database';
import { EventValidationError } from '../errors/event-validation.error';
import { StoredDomainEvent } from '../types/stored-domain-event';
import { assertTenantId, isPlainObject, isUuid } from '../validation/rules';

/** One event as exported: everything stored but its place in this database's order (position, transaction id). */
export type ExportedEvent = Omit<StoredDomainEvent, 'globalPosition' | 'transactionId'>;

/** Outcome of `importEvents`. */
export interface ImportResult {
  /** Events stored now. */
  imported: number;
  /** Events whose id was stored already (same stream, version and type). */
  skipped: number;
}

/** Stores a batch; one statement, one transaction (SQL: sql/event-store-import.sql.ts). */
export const IMPORT_EVENTS_SQL = `SELECT imported, skipped FROM event_store_import($1, $2::jsonb)`;

/** The exported fields as the function's row keys (the table's column names). */
function toRow(event: ExportedEvent, index: number): Record<string, unknown> {
  const problem = (field: string, reason: string) => EventValidationError.of(`events[${index}].${field}`, reason);
  if (!isUuid(event.eventId)) throw problem('eventId', 'must be a UUID');
  if (!Number.isInteger(event.aggregateVersion) || event.aggregateVersion < 1) throw problem('aggregateVersion', 'must be an integer >= 1');
  if (!isPlainObject(event.data)) throw problem('data', 'must be a JSON object');
  if (typeof event.aggregateType !== 'string' || typeof event.aggregateId !== 'string' || typeof event.eventType !== 'string')
    throw problem('aggregateType', 'aggregateType, aggregateId and eventType must be strings');
  return {
    event_id: event.eventId,
    aggregate_type: event.aggregateType,
    aggregate_id: event.aggregateId,
    aggregate_version: event.aggregateVersion,
    event_type: event.eventType,
    event_version: event.eventVersion,
    occurred_at: event.occurredAt,
    stored_at: event.storedAt,
    data: event.data,
    metadata: event.metadata ?? {},
    is_redacted: event.isRedacted ?? false,
    redacted_at: event.redactedAt ?? null,
  };
}

/**
 * Stores exported events of one tenant as they were, in the order given, in
 * one transaction: idempotent by event id (see ImportResult).
 * @throws EventValidationError for a malformed event
 * @throws DuplicateEventError when a stored event has one of the ids but another stream, version or type
 */
export async function importEvents(database: EventStoreDatabase, tenantId: string, events: ExportedEvent[]): Promise<ImportResult> {
  assertTenantId(tenantId);
  if (events.length === 0) return { imported: 0, skipped: 0 };
  const rows = events.map(toRow);
  const [result] = await database.query<ImportResult>(IMPORT_EVENTS_SQL, [tenantId, JSON.stringify(rows)], 'importEvents');
  return { imported: Number(result.imported), skipped: Number(result.skipped) };
}
