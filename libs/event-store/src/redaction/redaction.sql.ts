/**
 * Redacts the given positions of one tenant and logs each redaction, in one
 * statement. $1 tenant, $2 positions, $3 allow-list, $4 reason, $5 requested
 * by, $6 and $7 the least and greatest of the positions.
 *
 * No join touches the table: `old` reads the chunk's rows by position as they
 * were before the statement (every CTE sees the same snapshot), the UPDATE
 * finds the same rows by position again, and only the two small results are
 * joined for the log (`old` is MATERIALIZED so that it is not inlined into
 * that join). With statistics, both scans use the primary key. A tenant the
 * statistics have not seen is estimated at one row, and the planner then
 * starts from a tenant index: the range $6..$7 is an index condition there
 * (every tenant index ends in global_position), so each scan reads the
 * tenant's index entries once and fetches only rows inside the chunk's range,
 * never inside a nested loop. The UPDATE skips rows a concurrent redaction
 * got first (NOT is_redacted is rechecked after the row lock), and only rows
 * it changed are logged, so repeating a redaction changes nothing. The
 * append-only trigger lets the update through only with the redaction switch
 * on, and only these columns may change.
 */
// pk_stored_domain_events (global_position = ANY), tenant in the predicate
export const REDACT_POSITIONS_SQL = `
  WITH old AS MATERIALIZED (
    SELECT global_position,
           ARRAY(SELECT jsonb_object_keys(metadata) EXCEPT SELECT unnest($3::text[])) AS removed_keys
      FROM stored_domain_events
     WHERE tenant_id = $1 AND global_position BETWEEN $6 AND $7 AND global_position = ANY($2::bigint[]) AND NOT is_redacted
  ), redacted AS (
    UPDATE stored_domain_events e
       SET data = '{"redacted": true}'::jsonb,
           metadata = (SELECT coalesce(jsonb_object_agg(key, value), '{}'::jsonb) FROM jsonb_each(e.metadata) WHERE key = ANY($3::text[])),
           is_redacted = true,
           redacted_at = now()
     WHERE e.tenant_id = $1 AND e.global_position BETWEEN $6 AND $7 AND e.global_position = ANY($2::bigint[]) AND NOT e.is_redacted
    RETURNING e.global_position, e.event_id, e.aggregate_type, e.aggregate_id, e.aggregate_version, e.event_type
  ), logged AS (
    INSERT INTO event_store_redactions (tenant_id, event_id, global_position, reason, requested_by, removed_metadata_keys)
    SELECT $1, r.event_id, r.global_position, $4, $5, o.removed_keys FROM redacted r JOIN old o USING (global_position)
  )
  SELECT global_position, event_id, aggregate_type, aggregate_id, aggregate_version, event_type
    FROM redacted ORDER BY global_position`;

// uq_stored_domain_events_event_id
export const FIND_EVENT_POSITION_SQL = `
  SELECT global_position FROM stored_domain_events WHERE tenant_id = $1 AND event_id = $2`;

/**
 * The next matching, not yet redacted events of a subject, oldest first, at
 * most $3. Runs as the read-only system role: under the tenant role's
 * row-level security PostgreSQL may not use a non-leakproof operator such as
 * `@>` as an index condition, so the lookup would scan the tenant's log. The
 * key itself is tenant-qualified ($1 = tenant || chr(31) || subject), and the
 * tenant is checked again outside the MATERIALIZED CTE: the fence keeps
 * `tenant_id = $2` from becoming an index condition on a tenant index, so
 * only ix_events_subject_keys can serve the lookup, whatever the statistics.
 */
// ix_events_subject_keys (GIN over event_store_subject_keys(tenant_id, metadata))
export const FIND_SUBJECT_EVENTS_SQL = `
  WITH hits AS MATERIALIZED (
    SELECT global_position, tenant_id FROM stored_domain_events
     WHERE event_store_subject_keys(tenant_id, metadata) @> ARRAY[$1::text] AND NOT is_redacted
  )
  SELECT global_position FROM hits WHERE tenant_id = $2 ORDER BY global_position LIMIT $3`;

/** The marker event of a redaction, through the store's own append function (store-made id: no idempotency probe). */
export const APPEND_MARKER_SQL = `SELECT event_id, global_position, stored_at FROM event_store_append($1, $2::jsonb, '{}'::jsonb, false)`;
