import { Queryable } from '../database/queryable';
import { StreamNotFoundError } from '../errors/stream-not-found.error';
import { VersionRange } from '../types/read-options';
import { INT4_MAX, Violations, assertKnownOptions, checkId } from '../validation/rules';
import { EVENT_COLUMNS, EventRow } from './event-row';

/** uq_stored_domain_events_stream_version (tenant_id, aggregate_id, aggregate_version) */
export const READ_STREAM_SQL = `
  SELECT ${EVENT_COLUMNS} FROM stored_domain_events
   WHERE tenant_id = $1 AND aggregate_id = $2 AND aggregate_version BETWEEN $3 AND $4
   ORDER BY aggregate_version`;

/**
 * The same rows in one round trip, outside any transaction of ours: the
 * function sets the tenant for the statement (migration 1764200000400).
 */
export const READ_STREAM_ONE_TRIP_SQL = `SELECT * FROM event_store_read_stream($1, $2, $3, $4)`;

/** pk_event_store_streams */
export const STREAM_EXISTS_SQL = `SELECT aggregate_type, version FROM event_store_streams WHERE tenant_id = $1 AND aggregate_id = $2`;

/** Validates the arguments of getEventsForAggregate. */
export function checkStreamRead(aggregateId: string, range: VersionRange | undefined): { from: number; to: number } {
  assertKnownOptions('range', range, ['fromVersion', 'toVersion', 'raw']);
  const v = new Violations();
  checkId(v, 'aggregateId', aggregateId);
  const from = range?.fromVersion ?? 1;
  const to = range?.toVersion ?? INT4_MAX;
  if (!Number.isInteger(from) || from < 1 || from > INT4_MAX) v.add('fromVersion', `must be an integer from 1 to ${INT4_MAX}`);
  if (!Number.isInteger(to) || to < 1 || to > INT4_MAX) v.add('toVersion', `must be an integer from 1 to ${INT4_MAX}`);
  else if (to < from) v.add('toVersion', 'must not be below fromVersion');
  v.throwIfAny();
  return { from, to };
}

/** The stream's events in version order. */
export async function readStream(q: Queryable, tenantId: string, aggregateId: string, from: number, to: number): Promise<EventRow[]> {
  return q.query(READ_STREAM_SQL, [tenantId, aggregateId, from, to]);
}

/** The stream's type and current version. @throws StreamNotFoundError when the tenant has no such stream */
export async function readStreamHead(
  q: Queryable,
  tenantId: string,
  aggregateId: string,
): Promise<{ aggregateType: string; version: number }> {
  const [row] = (await q.query(STREAM_EXISTS_SQL, [tenantId, aggregateId])) as { aggregate_type: string; version: number }[];
  if (!row) throw new StreamNotFoundError(aggregateId);
  return { aggregateType: row.aggregate_type, version: row.version };
}
