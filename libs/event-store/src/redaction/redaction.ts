import { Queryable } from '../database/event-store-database';
import { EventRow } from '../store/event-row';
import { readEventById } from '../store/read-events';
import { RedactionRequest } from '../types/redaction';
import { Violations, assertKnownOptions } from '../validation/rules';
import { POSITIONS_OF_SUBJECT_SQL, POSITION_OF_EVENT_SQL, REDACT_POSITIONS_SQL } from './redaction.sql';

/** @throws EventValidationError when reason or requestedBy is missing or too long */
export function checkRedactionRequest(request: RedactionRequest): void {
  assertKnownOptions('request', request, ['reason', 'requestedBy']);
  const v = new Violations();
  for (const key of ['reason', 'requestedBy'] as const) {
    const value = request?.[key];
    if (typeof value !== 'string' || value.trim().length === 0) v.add(key, 'must be a non-empty string');
    else if (value.length > 1000) v.add(key, 'must be at most 1000 characters');
  }
  v.throwIfAny();
}

/** A redacted row as event_store_redact returns it. */
export type RedactedRow = EventRow & { removed_metadata_keys: string[] };

/**
 * The one entry point for rewriting events: redacts the tenant's not yet
 * redacted events at the given global positions through event_store_redact,
 * which logs each one. Must run in the tenant's transaction (runInTenant):
 * the function refuses any other tenant. Positions of other tenants, unknown
 * or already redacted ones are skipped.
 * @returns the rows redacted now, in position order
 */
export async function redactPositions(q: Queryable, tenantId: string, positions: string[], request: RedactionRequest, allowList: string[]): Promise<RedactedRow[]> {
  if (positions.length === 0) return [];
  return (await q.query(REDACT_POSITIONS_SQL, [tenantId, positions, request.reason, request.requestedBy, allowList])) as RedactedRow[];
}

/**
 * Redacts one event (idempotent: an already-redacted event is returned as is).
 * Runs inside a tenant transaction.
 * @throws EventNotFoundError when the tenant has no such event
 */
export async function redactEvent(q: Queryable, tenantId: string, eventId: string, request: RedactionRequest, allowList: string[]): Promise<EventRow> {
  const found = (await q.query(POSITION_OF_EVENT_SQL, [tenantId, eventId])) as { global_position: string }[];
  const [row] = await redactPositions(q, tenantId, found.map((r) => String(r.global_position)), request, allowList);
  return row ?? readEventById(q, tenantId, eventId);
}

/** Redacts every not yet redacted event linked to the subject; returns how many. */
export async function eraseSubject(q: Queryable, tenantId: string, subjectId: string, request: RedactionRequest, allowList: string[]): Promise<number> {
  const found = (await q.query(POSITIONS_OF_SUBJECT_SQL, [tenantId, subjectId])) as { global_position: string }[];
  return (await redactPositions(q, tenantId, found.map((r) => String(r.global_position)), request, allowList)).length;
}
