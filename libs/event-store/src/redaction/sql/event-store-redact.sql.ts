// The current definition of event_store_redact (decision 0018), applied by migration
// 1764100000600. Called by redaction.sql.ts; owned by the writer role.
//
// The redaction primitive: the given positions' events of this tenant that
// are not yet redacted lose their payload and every metadata key outside
// the allow-list; each is logged once. Returns the redacted rows with the
// keys removed. Each position is one probe of a key holding
// global_position (a LATERAL lookup per position), and the UPDATE finds
// the same rows by their tuple ids (a TID scan, the only path for
// ctid = ANY), never a scan of the tenant's index filtered by the list:
// with tenant statistics off (decision 0014) a big tenant can look as
// small as a chunk. A row redacted concurrently has moved: the ctid no
// longer matches, and NOT is_redacted would skip it anyway. `old` reads the rows as they were before the statement (every
// CTE sees the same snapshot); the UPDATE finds them again by key. The
// UPDATE rechecks NOT is_redacted after the row lock, so a concurrent
// redaction of the same event logs it once.
export const EVENT_STORE_REDACT = `CREATE FUNCTION event_store_redact(p_tenant_id text, p_positions bigint[], p_reason text, p_requested_by text, p_allow_list text[])
     RETURNS TABLE (global_position bigint, event_id uuid, tenant_id text, aggregate_type text, aggregate_id text,
     aggregate_version integer, event_type text, event_version integer, occurred_at timestamptz, stored_at timestamptz,
     data jsonb, metadata jsonb, transaction_id xid8, is_redacted boolean, redacted_at timestamptz, removed_metadata_keys text[])
     LANGUAGE plpgsql
     -- Hash and merge joins would read the whole tenant to meet the list.
     SET enable_hashjoin = off SET enable_mergejoin = off
     AS $$
     #variable_conflict use_column
     DECLARE
       v_allow text[] := coalesce(p_allow_list, '{}');
     BEGIN
       PERFORM event_store_require_tenant(p_tenant_id);
       IF coalesce(btrim(p_reason), '') = '' OR coalesce(btrim(p_requested_by), '') = '' THEN
         RAISE EXCEPTION 'a redaction needs a reason and a requester' USING ERRCODE = '22023';
       END IF;
       RETURN QUERY
       WITH old AS MATERIALIZED (
         SELECT x.global_position AS pos, x.ctid AS tid,
                ARRAY(SELECT jsonb_object_keys(x.metadata) EXCEPT SELECT unnest(v_allow)) AS removed
           FROM (SELECT DISTINCT p FROM unnest(p_positions) AS p) AS t
           CROSS JOIN LATERAL (
             SELECT y.global_position, y.metadata, y.ctid FROM stored_domain_events y
              WHERE y.global_position = t.p AND y.tenant_id = p_tenant_id AND NOT y.is_redacted
              LIMIT 1) x
       ), redacted AS (
         UPDATE stored_domain_events e
            SET data = '{"redacted": true}'::jsonb,
                metadata = (SELECT coalesce(jsonb_object_agg(m.key, m.value), '{}'::jsonb)
                              FROM jsonb_each(e.metadata) m WHERE m.key = ANY (v_allow)),
                is_redacted = true,
                redacted_at = now()
          WHERE e.ctid = ANY (ARRAY(SELECT o.tid FROM old o)) AND e.tenant_id = p_tenant_id AND NOT e.is_redacted
         RETURNING e.*
       ), logged AS (
         INSERT INTO event_store_redactions (tenant_id, event_id, global_position, reason, requested_by, removed_metadata_keys)
         SELECT p_tenant_id, r.event_id, r.global_position, p_reason, p_requested_by, o.removed
           FROM redacted r JOIN old o ON o.pos = r.global_position
       )
       SELECT r.*, o.removed FROM redacted r JOIN old o ON o.pos = r.global_position ORDER BY r.global_position;
     END $$`;
