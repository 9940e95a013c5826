/**
 * The redaction primitive: event_store_redact (sql/event-store-redact.sql.ts), a
 * SECURITY DEFINER function of the writer role, the only path that may
 * rewrite an event. It checks that $1 is the transaction's tenant, redacts
 * that tenant's not yet redacted events among the positions $2 (payload
 * replaced, metadata cut to the allow-list $5), logs each one with reason $3
 * and requester $4 in the redaction log, and returns the envelopes of the
 * rows it changed, in global order (see the function for its plan).
 */
export const REDACT_POSITIONS_SQL = `
  SELECT global_position, event_id, aggregate_type, aggregate_id, aggregate_version, event_type
    FROM event_store_redact($1, $2::bigint[], $3, $4, $5::text[])`;

// uq_stored_domain_events_event_id
export const FIND_EVENT_POSITION_SQL = `
  SELECT global_position FROM stored_domain_events WHERE tenant_id = $1 AND event_id = $2`;

/**
 * The next matching, not yet redacted events of a subject, oldest first, at
 * most $3: event_store_subject_positions (sql/event-store-subject-positions.sql.ts), a
 * function of the reader role. Under the tenant role's row-level security
 * PostgreSQL may not use a non-leakproof operator such as `@>` as an index
 * condition, so the lookup would scan the tenant's log; the reader's policy
 * lets ix_events_subject_keys serve it. The function checks that $2 is the
 * transaction's tenant, and the key is tenant-qualified
 * ($1 = tenant || chr(31) || subject).
 */
export const FIND_SUBJECT_EVENTS_SQL = `SELECT global_position FROM event_store_subject_positions($1, $2, $3) AS global_position`;

/** The marker event of a redaction, through the store's own append function (store-made id: no idempotency probe). */
export const APPEND_MARKER_SQL = `SELECT event_id, global_position, stored_at FROM event_store_append($1, $2::jsonb, '{}'::jsonb, false)`;
