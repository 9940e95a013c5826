import { Queryable } from '../database/queryable';
import { RedactedEventRef, RedactionRequest } from '../types/redaction';
import { Violations, assertKnownOptions } from '../validation/rules';
import { hasLoneSurrogate } from '../validation/json-payload';
import { appendRedactionMarker } from './redaction-marker';
import { FIND_EVENT_POSITION_SQL, REDACT_POSITIONS_SQL } from './redaction.sql';

/** A row redacted by REDACT_POSITIONS_SQL. */
export interface RedactedRow {
  global_position: string;
  event_id: string;
  aggregate_type: string;
  aggregate_id: string;
  aggregate_version: number;
  event_type: string;
}

/** @throws EventValidationError when reason or requestedBy is missing or too long */
export function checkRedactionRequest(request: RedactionRequest): void {
  assertKnownOptions('request', request, ['reason', 'requestedBy']);
  const v = new Violations();
  for (const key of ['reason', 'requestedBy'] as const) {
    const value = request?.[key];
    if (typeof value !== 'string' || value.trim().length === 0) v.add(key, 'must be a non-empty string');
    else if (value.length > 1000) v.add(key, 'must be at most 1000 characters');
    // pg would write U+FFFD in its place: the log must keep what was asked.
    else if (hasLoneSurrogate(value)) v.add(key, 'must not contain unpaired UTF-16 surrogates (invalid Unicode)');
  }
  v.throwIfAny();
}

/**
 * Redacts the given positions of one tenant (those not redacted yet) and logs
 * each redaction, through event_store_redact (the only path that may rewrite
 * an event, decision 0003). Runs inside a transaction of that tenant.
 * @returns the envelopes of the rows it redacted, in global order
 */
export async function redactPositions(
  q: Queryable,
  tenantId: string,
  positions: string[],
  request: RedactionRequest,
  allowList: string[],
): Promise<RedactedRow[]> {
  if (positions.length === 0) return [];
  return q.query(REDACT_POSITIONS_SQL, [tenantId, positions, request.reason, request.requestedBy, allowList]);
}

/**
 * Redacts positions and, when any row changed, appends the marker event that
 * tells read models, in the same transaction: a redaction and its
 * announcement commit together or not at all.
 * @returns how many events were redacted
 */
export async function redactAndAnnounce(
  q: Queryable,
  tenantId: string,
  positions: string[],
  request: RedactionRequest,
  allowList: string[],
): Promise<number> {
  const rows = await redactPositions(q, tenantId, positions, request, allowList);
  if (rows.length) await appendRedactionMarker(q, tenantId, rows.map(toRef));
  return rows.length;
}

/**
 * Redacts one event (idempotent: an already-redacted event is left as is).
 * Runs inside a transaction of the tenant, as the login (the marker is an append).
 * @returns whether this call redacted it (false also when the tenant has no such event)
 */
export async function redactEvent(
  q: Queryable,
  tenantId: string,
  eventId: string,
  request: RedactionRequest,
  allowList: string[],
): Promise<boolean> {
  const [found] = (await q.query(FIND_EVENT_POSITION_SQL, [tenantId, eventId])) as { global_position: string }[];
  return found ? (await redactAndAnnounce(q, tenantId, [found.global_position], request, allowList)) > 0 : false;
}

function toRef(row: RedactedRow): RedactedEventRef {
  return {
    eventId: row.event_id,
    globalPosition: String(row.global_position),
    aggregateType: row.aggregate_type,
    aggregateId: row.aggregate_id,
    aggregateVersion: row.aggregate_version,
    eventType: row.event_type,
  };
}
