import { EVENT_COLUMNS } from '../store/event-row';

/**
 * Replaces the payload, keeps only allow-listed metadata keys, marks the row.
 * The append-only trigger lets this through only with the redaction switch on,
 * and only these columns may change. Already-redacted rows are left alone, so
 * repeating a redaction changes nothing. $3 = allow-list.
 */
const REDACT_SET = `
  SET data = '{"redacted": true}'::jsonb,
      metadata = (SELECT coalesce(jsonb_object_agg(key, value), '{}'::jsonb) FROM jsonb_each(e.metadata) WHERE key = ANY($3::text[])),
      is_redacted = true,
      redacted_at = now()`;

const REDACT_RETURNING = `RETURNING ${EVENT_COLUMNS.replace(/(\w+)/g, 'e.$1')},
  ARRAY(SELECT jsonb_object_keys(old.metadata) EXCEPT SELECT unnest($3::text[])) AS removed_keys`;

// uq_stored_domain_events_event_id
export const REDACT_EVENT_SQL = `
  UPDATE stored_domain_events e ${REDACT_SET}
    FROM stored_domain_events old
   WHERE e.tenant_id = $1 AND e.event_id = $2 AND NOT e.is_redacted
     AND old.global_position = e.global_position
  ${REDACT_RETURNING}`;

// ix_events_subjects (GIN jsonb_path_ops) with tenant in the predicate
export const ERASE_SUBJECT_SQL = `
  UPDATE stored_domain_events e ${REDACT_SET}
    FROM stored_domain_events old
   WHERE e.tenant_id = $1 AND NOT e.is_redacted
     AND (e.metadata @> jsonb_build_object('subjectId', $2::text) OR e.metadata @> jsonb_build_object('subjectIds', jsonb_build_array($2::text)))
     AND old.global_position = e.global_position
  ${REDACT_RETURNING}`;

export const LOG_REDACTIONS_SQL = `
  INSERT INTO event_store_redactions (tenant_id, event_id, global_position, reason, requested_by, removed_metadata_keys)
  SELECT $1, r.event_id, r.global_position, $2, $3, r.removed_keys
    FROM jsonb_to_recordset($4::jsonb) AS r(event_id uuid, global_position bigint, removed_keys text[])`;
