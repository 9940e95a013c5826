import { GROUP_RESULT_COLUMNS, NO_EVENT, RETURNING_WITHOUT_PAYLOAD } from './append-result.sql';
import {
  VERSION_CONFLICT_CODE,
  VERSION_CONFLICT_MESSAGE,
  expectedVersionMatches,
  expectedVersionOf,
  versionConflictDetail,
} from './expected-version.sql';

// The current definition of event_store_append_group (decision 0018),
// applied by migration 1764100000300 with EVENT_STORE_APPEND_GROUP_SETTINGS.
// Migration 1764100000600 then turns its role switch into a no-op and makes
// it SECURITY DEFINER, owned by the writer role (decision 0003). A change is
// an edit here plus a new migration; the text as 1764100000300 applied it
// then moves to migrations/history/.

/**
 * Group commit, set-based form (decision 0008), same signature and result as
 * in the base migration. Changed: the group's existing streams are locked by
 * one full-key lookup each instead of `aggregate_id = ANY (…)`, which a plan
 * cached while the streams table was small could turn into a scan of every
 * stream of the tenant.
 */
export const EVENT_STORE_APPEND_GROUP_FUNCTION = `CREATE OR REPLACE FUNCTION event_store_append_group(p_appends jsonb)
   RETURNS TABLE (${GROUP_RESULT_COLUMNS})
   LANGUAGE plpgsql AS $$
   #variable_conflict use_column
   DECLARE
     v_tenant     text;
     v_initial    jsonb;
     v_versions   jsonb;
     v_types      jsonb;
     v_cur_vers   jsonb;
     v_cur_types  jsonb;
     v_cur_idx    integer;
     v_cur_ok     boolean;
     v_cur_ids    text[];
     v_cur_starts integer[];
     v_row        record;
     v_current    integer;
     v_type       text;
     v_expected   jsonb;
     v_ok         boolean;
     v_new        integer;
     v_created    integer;
     v_pass_idx   integer[];
     v_pass_ids   text[];
     v_pass_start integer[];
     v_fail_idx   integer[];
     v_fail_code  text[];
     v_fail_msg   text[];
     v_fail_det   text[];
   BEGIN
     FOR v_tenant IN SELECT DISTINCT a->>'tenant' FROM jsonb_array_elements(p_appends) a ORDER BY 1 LOOP
       PERFORM set_config('app.tenant_id', v_tenant, true);
       PERFORM set_config('role', 'event_store_tenant', true);
       v_pass_idx := '{}'; v_pass_ids := '{}'; v_pass_start := '{}';
       v_fail_idx := '{}'; v_fail_code := '{}'; v_fail_msg := '{}'; v_fail_det := '{}';

       -- The group's existing streams, locked in key order (the order every
       -- append locks in): one lookup by the full key per stream, in the
       -- order of the sorted ids. A scan of the tenant's streams with the ids
       -- as a Filter cannot be planned here, whatever the statistics say.
       SELECT coalesce(jsonb_object_agg(s.aggregate_id, s.version), '{}'),
              coalesce(jsonb_object_agg(s.aggregate_id, s.aggregate_type), '{}')
         INTO v_versions, v_types
         FROM unnest(ARRAY(
                SELECT DISTINCT e.aggregate_id
                  FROM jsonb_array_elements(p_appends) a, jsonb_to_recordset(a->'events') e(aggregate_id text)
                 WHERE a->>'tenant' = v_tenant
                 ORDER BY 1)) WITH ORDINALITY AS g(aggregate_id, ord)
         CROSS JOIN LATERAL (
                SELECT x.aggregate_id, x.version, x.aggregate_type
                  FROM event_store_streams x
                 WHERE x.tenant_id = v_tenant AND x.aggregate_id = g.aggregate_id
                   FOR UPDATE) s;
       v_initial := v_versions;

       -- Decide each append in order; a rejected append leaves the versions as they were.
       v_cur_idx := NULL;
       FOR v_row IN
         SELECT (a.ord - 1)::integer AS idx, e.aggregate_id, min(e.aggregate_type) AS aggregate_type,
                count(DISTINCT e.aggregate_type) AS type_count, count(*)::integer AS n,
                coalesce(a.value->'expected', '{}') AS expected
           FROM jsonb_array_elements(p_appends) WITH ORDINALITY AS a(value, ord),
                jsonb_to_recordset(a.value->'events') AS e(aggregate_id text, aggregate_type text)
          WHERE a.value->>'tenant' = v_tenant
          GROUP BY a.ord, e.aggregate_id, a.value->'expected'
          ORDER BY a.ord, e.aggregate_id
       LOOP
         IF v_cur_idx IS DISTINCT FROM v_row.idx THEN
           IF v_cur_idx IS NOT NULL AND v_cur_ok THEN
             v_versions := v_cur_vers; v_types := v_cur_types;
             v_pass_idx := v_pass_idx || array_fill(v_cur_idx, ARRAY[cardinality(v_cur_ids)]);
             v_pass_ids := v_pass_ids || v_cur_ids; v_pass_start := v_pass_start || v_cur_starts;
           END IF;
           v_cur_idx := v_row.idx; v_cur_ok := true;
           v_cur_vers := v_versions; v_cur_types := v_types; v_cur_ids := '{}'; v_cur_starts := '{}';
         END IF;
         CONTINUE WHEN NOT v_cur_ok;
         v_current := coalesce((v_cur_vers->>v_row.aggregate_id)::integer, 0);
         v_type := v_cur_types->>v_row.aggregate_id;
         IF v_row.type_count > 1 OR (v_type IS NOT NULL AND v_type <> v_row.aggregate_type) THEN
           v_cur_ok := false;
           v_fail_idx := v_fail_idx || v_row.idx; v_fail_code := v_fail_code || 'ESTYP'::text;
           v_fail_msg := v_fail_msg || 'aggregate type does not match the stream'::text;
           v_fail_det := v_fail_det || json_build_object('aggregateId', v_row.aggregate_id,
                           'streamType', coalesce(v_type, v_row.aggregate_type), 'requestedType', v_row.aggregate_type)::text;
           CONTINUE;
         END IF;
         v_expected := ${expectedVersionOf('v_row.expected', 'v_row.aggregate_id')};
         v_ok := ${expectedVersionMatches('v_expected', 'v_current', '         ')};
         IF NOT v_ok THEN
           v_cur_ok := false;
           v_fail_idx := v_fail_idx || v_row.idx; v_fail_code := v_fail_code || '${VERSION_CONFLICT_CODE}'::text;
           v_fail_msg := v_fail_msg || '${VERSION_CONFLICT_MESSAGE}'::text;
           v_fail_det := v_fail_det || ${versionConflictDetail('v_row.aggregate_id', 'v_expected', 'v_current', [`\n${' '.repeat(27)}`, ' '])};
           CONTINUE;
         END IF;
         v_cur_ids := v_cur_ids || v_row.aggregate_id; v_cur_starts := v_cur_starts || v_current;
         v_cur_vers := jsonb_set(v_cur_vers, ARRAY[v_row.aggregate_id], to_jsonb(v_current + v_row.n));
         v_cur_types := jsonb_set(v_cur_types, ARRAY[v_row.aggregate_id], to_jsonb(v_row.aggregate_type));
       END LOOP;
       IF v_cur_idx IS NOT NULL AND v_cur_ok THEN
         v_versions := v_cur_vers; v_types := v_cur_types;
         v_pass_idx := v_pass_idx || array_fill(v_cur_idx, ARRAY[cardinality(v_cur_ids)]);
         v_pass_ids := v_pass_ids || v_cur_ids; v_pass_start := v_pass_start || v_cur_starts;
       END IF;

       -- Stream versions in one upsert, in key order. An existing stream is
       -- locked and updated; a stream the group creates must not exist yet:
       -- if another transaction created it meanwhile, the conflict updates
       -- nothing (the WHERE), fewer rows come back, and ESRTY says so.
       SELECT count(*) INTO v_new FROM jsonb_object_keys(v_versions) k
        WHERE NOT v_initial ? k OR (v_initial->>k)::integer <> (v_versions->>k)::integer;
       IF v_new > 0 THEN
         WITH written AS (
           INSERT INTO event_store_streams AS s (tenant_id, aggregate_id, aggregate_type, version)
           SELECT v_tenant, w.key, v_types->>w.key, w.value::integer
             FROM jsonb_each_text(v_versions) w
            WHERE NOT v_initial ? w.key OR (v_initial->>w.key)::integer <> w.value::integer
            ORDER BY w.key
           ON CONFLICT ON CONSTRAINT pk_event_store_streams DO UPDATE
              SET version = EXCLUDED.version, updated_at = now()
            WHERE v_initial ? s.aggregate_id
           RETURNING 1)
         SELECT count(*) INTO v_created FROM written;
         IF v_created < v_new THEN
           RAISE EXCEPTION 'a stream of this group was created concurrently' USING ERRCODE = 'ESRTY';
         END IF;
       END IF;

       RETURN QUERY
       WITH starts AS (
         SELECT * FROM unnest(v_pass_idx, v_pass_ids, v_pass_start) AS t(idx, aggregate_id, start)
       ), inserted AS (
         INSERT INTO stored_domain_events AS d
           (event_id, tenant_id, aggregate_type, aggregate_id, aggregate_version,
            event_type, event_version, occurred_at, data, metadata)
         SELECT e.event_id, v_tenant, e.aggregate_type, e.aggregate_id,
                st.start + e.k,
                e.event_type, e.event_version, e.occurred_at, e.data, e.metadata
           FROM jsonb_array_elements(p_appends) WITH ORDINALITY AS a(value, ord)
           CROSS JOIN LATERAL jsonb_to_recordset(a.value->'events') AS e(i integer, k integer, event_id uuid,
                  aggregate_type text, aggregate_id text, event_type text, event_version integer,
                  occurred_at timestamptz, data jsonb, metadata jsonb)
           JOIN starts st ON st.idx = a.ord - 1 AND st.aggregate_id = e.aggregate_id
          ORDER BY a.ord, e.i
         ${RETURNING_WITHOUT_PAYLOAD}
       ), owners AS (
         SELECT (a.ord - 1)::integer AS idx, (x->>'event_id')::uuid AS event_id
           FROM jsonb_array_elements(p_appends) WITH ORDINALITY AS a(value, ord),
                jsonb_array_elements(a.value->'events') AS x
          WHERE a.value->>'tenant' = v_tenant
       )
       SELECT o.idx, NULL::text, NULL::text, NULL::text, NULL::text, i.*
         FROM inserted i JOIN owners o ON o.event_id = i.event_id
        ORDER BY i.global_position;

       IF cardinality(v_fail_idx) > 0 THEN
         RETURN QUERY SELECT f.idx, f.code, f.msg, f.det, NULL::text, ${NO_EVENT}
           FROM unnest(v_fail_idx, v_fail_code, v_fail_msg, v_fail_det) AS f(idx, code, msg, det);
       END IF;
     END LOOP;
   END $$`;

// CREATE OR REPLACE resets the function's settings: the streams table has
// one index, its key, and no cached plan may become a scan of it.
export const EVENT_STORE_APPEND_GROUP_SETTINGS = [`ALTER FUNCTION event_store_append_group(jsonb) SET enable_seqscan = off`];
