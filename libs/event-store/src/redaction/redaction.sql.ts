/**
 * The redaction primitive: event_store_redact (migration 1764100000600), a
 * SECURITY DEFINER function of the writer role, the only path that may
 * rewrite an event. It checks that $1 is the transaction's tenant, redacts
 * that tenant's not yet redacted events among the positions $2 (payload
 * replaced, metadata cut to the allow-list $5), logs each one with reason $3
 * and requester $4, and returns the redacted rows with `removed_metadata_keys`.
 */
export const REDACT_POSITIONS_SQL = `SELECT * FROM event_store_redact($1, $2::bigint[], $3, $4, $5::text[])`;

// uq_stored_domain_events_event_id
export const POSITION_OF_EVENT_SQL = `SELECT global_position FROM stored_domain_events WHERE tenant_id = $1 AND event_id = $2`;

// ix_events_subjects (GIN jsonb_path_ops) with tenant in the predicate
export const POSITIONS_OF_SUBJECT_SQL = `
  SELECT global_position FROM stored_domain_events
   WHERE tenant_id = $1 AND NOT is_redacted
     AND (metadata @> jsonb_build_object('subjectId', $2::text) OR metadata @> jsonb_build_object('subjectIds', jsonb_build_array($2::text)))
   ORDER BY global_position`;
