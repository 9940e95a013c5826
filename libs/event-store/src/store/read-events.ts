import { Queryable } from '../database/queryable';
import { BELOW_READ_HORIZON } from '../database/read-horizon.sql';
import { EventNotFoundError } from '../errors/event-not-found.error';
import { ReadMode } from '../types/read-options';
import { Violations, assertKnownOptions, assertOptionalInt, isBigintText } from '../validation/rules';
import { EVENT_COLUMNS, EventRow } from './event-row';

/** uq_stored_domain_events_event_id (tenant_id, event_id) */
export const BY_ID_SQL = `SELECT ${EVENT_COLUMNS} FROM stored_domain_events WHERE tenant_id = $1 AND event_id = $2`;

/** ix_events_tenant_position. Stops at the transaction horizon so nothing in flight is returned. */
export const SINCE_POSITION_SQL = `
  SELECT ${EVENT_COLUMNS} FROM stored_domain_events
   WHERE tenant_id = $1 AND global_position > $2
     AND ${BELOW_READ_HORIZON}
   ORDER BY global_position LIMIT $3`;

/** ix_events_tenant_occurred */
export const SINCE_DATE_SQL = `
  SELECT ${EVENT_COLUMNS} FROM stored_domain_events
   WHERE tenant_id = $1 AND occurred_at >= $2
     AND ${BELOW_READ_HORIZON}
   ORDER BY occurred_at, global_position LIMIT $3`;

/** One event by id. @throws EventNotFoundError when unknown or another tenant's */
export async function readEventById(q: Queryable, tenantId: string, eventId: string): Promise<EventRow> {
  const [row] = (await q.query(BY_ID_SQL, [tenantId, eventId])) as EventRow[];
  if (!row) throw new EventNotFoundError(eventId);
  return row;
}

/** Events after a global position (exclusive), or that occurred at or after a date. */
export function readEventsSince(q: Queryable, tenantId: string, since: { position: string } | Date, limit: number): Promise<EventRow[]> {
  return since instanceof Date
    ? q.query(SINCE_DATE_SQL, [tenantId, since, limit])
    : q.query(SINCE_POSITION_SQL, [tenantId, since.position, limit]);
}

/** Events returned by getEventsSince unless `limit` says otherwise. */
export const DEFAULT_SINCE_LIMIT = 1000;

/**
 * Checks getEventsSince's arguments.
 * @returns the position as text, or the date
 * @throws EventValidationError naming every bad field
 */
export function checkEventsSince(
  since: { position: string | number } | Date,
  options?: { limit?: number } & ReadMode,
): { position: string } | Date {
  assertKnownOptions('options', options, ['limit', 'raw']);
  assertOptionalInt('limit', options?.limit, 1, 10_000);
  const v = new Violations();
  let normalized: { position: string } | Date;
  if (since instanceof Date) {
    if (Number.isNaN(since.getTime())) v.add('since', 'must be a valid date');
    normalized = since;
  } else {
    const position = String(since?.position ?? '');
    if (!isBigintText(position)) v.add('since.position', 'must be a non-negative integer');
    normalized = { position };
  }
  v.throwIfAny();
  return normalized;
}
