// The current definition of event_store_import (decision 0018), applied by
// migration 1764300000000, which makes it SECURITY DEFINER, owned by the
// writer role and executable by the runtime role only (decision 0003).
// Called by store/import-events.ts.
//
// Stores exported events of one tenant exactly as they were: the same event
// id, stream version, event version, occurred_at, stored_at, data, metadata
// and redaction status (a redacted event comes back redacted). New global
// positions and transaction ids are taken, in the order given (an export is
// in the gap-safe order). Idempotent by event id: an id already stored with
// the same stream, version and type is skipped; with others it is an error
// (ESDUP), and so is a stream version taken by another event (the unique key).
// Streams move up to the highest imported version; a stream of another
// aggregate type is refused (ESTYP). Row-level security binds the writer
// role: the tenant is set for the transaction first.
import { raiseOnStreamTypeMismatch } from './stream-type.sql';

export const EVENT_STORE_IMPORT_SIGNATURE = 'event_store_import(text,jsonb)';

// The given events not stored yet, typed as table rows, with their place in the input (i).
const FRESH = `SELECT a.i, r.* FROM jsonb_array_elements(p_events) WITH ORDINALITY AS a(value, i)
        CROSS JOIN LATERAL jsonb_populate_record(NULL::stored_domain_events, a.value) r
        WHERE NOT EXISTS (SELECT 1 FROM stored_domain_events x WHERE x.tenant_id = p_tenant_id AND x.event_id = r.event_id)`;

export const EVENT_STORE_IMPORT = `CREATE FUNCTION event_store_import(p_tenant_id text, p_events jsonb)
   RETURNS TABLE (imported integer, skipped integer)
   LANGUAGE plpgsql AS $$
   DECLARE
     v_mismatch uuid;
     v_stream   record;
     v_imported integer;
   BEGIN
     PERFORM set_config('app.tenant_id', p_tenant_id, true);
     SELECT r.event_id INTO v_mismatch
       FROM jsonb_populate_recordset(NULL::stored_domain_events, p_events) r
       JOIN stored_domain_events x ON x.tenant_id = p_tenant_id AND x.event_id = r.event_id
      WHERE x.aggregate_id <> r.aggregate_id OR x.aggregate_version <> r.aggregate_version OR x.event_type <> r.event_type
      LIMIT 1;
     IF v_mismatch IS NOT NULL THEN
       RAISE EXCEPTION 'event id reused with different content' USING ERRCODE = 'ESDUP', DETAIL = v_mismatch::text;
     END IF;

     FOR v_stream IN
       WITH batch AS (
         SELECT f.aggregate_id, min(f.aggregate_type) AS aggregate_type, count(DISTINCT f.aggregate_type) AS type_count,
                max(f.aggregate_version) AS version
           FROM (${FRESH}) f GROUP BY f.aggregate_id
       ), advanced AS (
         INSERT INTO event_store_streams AS s (tenant_id, aggregate_id, aggregate_type, version)
         SELECT p_tenant_id, b.aggregate_id, b.aggregate_type, b.version FROM batch b ORDER BY b.aggregate_id
         ON CONFLICT (tenant_id, aggregate_id)
           DO UPDATE SET version = greatest(s.version, EXCLUDED.version), updated_at = now()
         RETURNING s.aggregate_id, s.aggregate_type
       )
       SELECT a.aggregate_id, a.aggregate_type AS stream_type, b.aggregate_type AS batch_type, b.type_count
         FROM advanced a JOIN batch b USING (aggregate_id)
     LOOP
       ${raiseOnStreamTypeMismatch('v_stream', '       ')}
     END LOOP;

     INSERT INTO stored_domain_events
       (event_id, tenant_id, aggregate_type, aggregate_id, aggregate_version, event_type, event_version,
        occurred_at, stored_at, data, metadata, is_redacted, redacted_at)
     SELECT f.event_id, p_tenant_id, f.aggregate_type, f.aggregate_id, f.aggregate_version, f.event_type,
            coalesce(f.event_version, 1), f.occurred_at, coalesce(f.stored_at, now()), f.data, coalesce(f.metadata, '{}'),
            coalesce(f.is_redacted, false), f.redacted_at
       FROM (${FRESH}) f
      ORDER BY f.i;
     GET DIAGNOSTICS v_imported = ROW_COUNT;
     RETURN QUERY SELECT v_imported, jsonb_array_length(p_events) - v_imported;
   END $$`;
