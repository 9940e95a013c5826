import { Queryable } from '../database/event-store-database';
import { EventRow } from '../store/event-row';
import { readEventById } from '../store/read-events';
import { RedactionRequest } from '../types/redaction';
import { Violations, assertKnownOptions } from '../validation/rules';
import { hasLoneSurrogate } from '../validation/json-payload';
import { ERASE_SUBJECT_SQL, LOG_REDACTIONS_SQL, REDACT_EVENT_SQL } from './redaction.sql';

type RedactedRow = EventRow & { removed_keys: string[] };

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

// TypeORM's QueryRunner answers an UPDATE … RETURNING with [rows, affectedCount]
// (a SELECT with the rows alone), so the RETURNING rows must be unwrapped.
function returnedRows<T>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}

async function logRedactions(q: Queryable, tenantId: string, request: RedactionRequest, rows: RedactedRow[]): Promise<void> {
  if (rows.length === 0) return;
  const entries = rows.map((r) => ({ event_id: r.event_id, global_position: r.global_position, removed_keys: r.removed_keys }));
  await q.query(LOG_REDACTIONS_SQL, [tenantId, request.reason, request.requestedBy, JSON.stringify(entries)]);
}

/**
 * Redacts one event (idempotent: an already-redacted event is returned as is).
 * Runs inside a tenant transaction with the redaction switch on.
 * @throws EventNotFoundError when the tenant has no such event
 */
export async function redactEvent(q: Queryable, tenantId: string, eventId: string, request: RedactionRequest, allowList: string[]): Promise<EventRow> {
  const rows = returnedRows<RedactedRow>(await q.query(REDACT_EVENT_SQL, [tenantId, eventId, allowList]));
  if (rows.length === 0) return readEventById(q, tenantId, eventId);
  await logRedactions(q, tenantId, request, rows);
  return rows[0];
}

/** Redacts every not yet redacted event linked to the subject; returns how many. */
export async function eraseSubject(q: Queryable, tenantId: string, subjectId: string, request: RedactionRequest, allowList: string[]): Promise<number> {
  const rows = returnedRows<RedactedRow>(await q.query(ERASE_SUBJECT_SQL, [tenantId, subjectId, allowList]));
  await logRedactions(q, tenantId, request, rows);
  return rows.length;
}
