import { raiseOnStreamTypeMismatch } from './stream-type.sql';
import { RETURNING_WITHOUT_PAYLOAD } from './append-result.sql';
import {
  VERSION_CONFLICT_CODE,
  VERSION_CONFLICT_MESSAGE,
  expectedVersionMatches,
  expectedVersionOf,
  versionConflictDetail,
} from './expected-version.sql';

// The current definition of event_store_append (decision 0018), applied by
// migration 1764300000200, which keeps it SECURITY DEFINER, owned by the
// writer role (decision 0003). A change is an edit here plus a new
// migration; the text as 1764300000200 applied it then moves to
// migrations/history/.

// The detail's fields, one per line.
const STACKED = `\n${' '.repeat(38)}`;

// Lookups by (tenant, event id) run through EXECUTE with the tenant as $1:
// planned for each call with the table as it is, never from a plan cached
// while it was small (decision 0014). One probe of
// uq_stored_domain_events_event_id per event, LIMIT 1 keeping it a nested
// loop whatever the estimates.
const STORED = (columns: string) => `CROSS JOIN LATERAL (
             SELECT ${columns} FROM stored_domain_events x
              WHERE x.tenant_id = $1 AND x.event_id = e.event_id
              LIMIT 1) s`;

/**
 * The one-statement append (decision 0002), same signature and result as in
 * the base migration. `p_client_ids` true: the append may be a retry, so its
 * ids are looked up before anything is written; the same ids with the same
 * content return what is stored, other content raises ESDUP. Same content:
 * stream, types, version, data and metadata; only metadata.correlationId may
 * differ (it names the request, and a retry is a new request). False: no
 * lookup. The store sends every append with false first, also with caller
 * ids, and with true only after the unique index refused one of its ids or
 * a conflicting append found one stored (decision 0029).
 */
export const EVENT_STORE_APPEND_FUNCTION = `CREATE OR REPLACE FUNCTION event_store_append(p_tenant_id text, p_events jsonb, p_expected jsonb, p_client_ids boolean DEFAULT true)
   RETURNS SETOF stored_domain_events
   LANGUAGE plpgsql AS $$
   DECLARE
     v_count      integer := jsonb_array_length(p_events);
     v_existing   integer;
     v_mismatch   uuid;
     v_stream     record;
     v_expected   jsonb;
     v_ok         boolean;
     v_ids        text[] := '{}';
     v_previous   integer[] := '{}';
   BEGIN
     PERFORM set_config('app.tenant_id', p_tenant_id, true);

     IF p_client_ids THEN
       EXECUTE $probe$
         SELECT count(*)::integer, (array_agg(e.event_id) FILTER (
                  WHERE s.aggregate_id <> e.aggregate_id OR s.aggregate_type <> e.aggregate_type
                     OR s.event_type <> e.event_type OR s.event_version <> e.event_version
                     OR s.data <> e.data
                     OR (s.metadata - 'correlationId') <> (coalesce(e.metadata, '{}') - 'correlationId')))[1]
           FROM jsonb_to_recordset($2) AS e(event_id uuid, aggregate_id text, aggregate_type text,
                                            event_type text, event_version integer, data jsonb, metadata jsonb)
           ${STORED('x.aggregate_id, x.aggregate_type, x.event_type, x.event_version, x.data, x.metadata')}$probe$
         INTO v_existing, v_mismatch USING p_tenant_id, p_events;
       IF v_mismatch IS NOT NULL THEN
         RAISE EXCEPTION 'event id reused with different content' USING ERRCODE = 'ESDUP', DETAIL = v_mismatch::text;
       END IF;
       IF v_existing = v_count THEN
         RETURN QUERY EXECUTE $stored$
           SELECT s.* FROM jsonb_to_recordset($2) AS e(event_id uuid)
           ${STORED('x.*')}
            ORDER BY s.global_position$stored$ USING p_tenant_id, p_events;
         RETURN;
       ELSIF v_existing > 0 THEN
         EXECUTE $first$
           SELECT e.event_id::text FROM jsonb_to_recordset($2) AS e(event_id uuid)
           ${STORED('1')}
            LIMIT 1$first$ INTO v_mismatch USING p_tenant_id, p_events;
         RAISE EXCEPTION 'some event ids of this batch were stored by another append' USING ERRCODE = 'ESDUP',
           DETAIL = v_mismatch::text;
       END IF;
     END IF;

     FOR v_stream IN
       WITH batch AS (
         SELECT e.aggregate_id, min(e.aggregate_type) AS aggregate_type,
                count(DISTINCT e.aggregate_type) AS type_count, count(*)::integer AS n
           FROM jsonb_to_recordset(p_events) AS e(aggregate_id text, aggregate_type text)
          GROUP BY e.aggregate_id
       ), advanced AS (
         INSERT INTO event_store_streams AS s (tenant_id, aggregate_id, aggregate_type, version)
         SELECT p_tenant_id, b.aggregate_id, b.aggregate_type, b.n FROM batch b ORDER BY b.aggregate_id
         ON CONFLICT (tenant_id, aggregate_id)
           DO UPDATE SET version = s.version + EXCLUDED.version, updated_at = now()
         RETURNING s.aggregate_id, s.aggregate_type, s.version
       )
       SELECT a.aggregate_id, a.aggregate_type AS stream_type, b.aggregate_type AS batch_type,
              b.type_count, a.version - b.n AS previous
         FROM advanced a JOIN batch b USING (aggregate_id)
     LOOP
       ${raiseOnStreamTypeMismatch('v_stream', '       ')}
       v_expected := ${expectedVersionOf('p_expected', 'v_stream.aggregate_id')};
       v_ok := ${expectedVersionMatches('v_expected', 'v_stream.previous', '       ')};
       IF NOT v_ok THEN
         RAISE EXCEPTION '${VERSION_CONFLICT_MESSAGE}' USING ERRCODE = '${VERSION_CONFLICT_CODE}',
           DETAIL = ${versionConflictDetail('v_stream.aggregate_id', 'v_expected', 'v_stream.previous', [STACKED, STACKED])};
       END IF;
       v_ids := v_ids || v_stream.aggregate_id;
       v_previous := v_previous || v_stream.previous;
     END LOOP;

     RETURN QUERY
     INSERT INTO stored_domain_events AS d
       (event_id, tenant_id, aggregate_type, aggregate_id, aggregate_version,
        event_type, event_version, occurred_at, data, metadata)
     SELECT e.event_id, p_tenant_id, e.aggregate_type, e.aggregate_id,
            s.previous + e.k,
            e.event_type, e.event_version, e.occurred_at, e.data, e.metadata
       FROM jsonb_to_recordset(p_events) AS e(i integer, k integer, event_id uuid, aggregate_type text,
              aggregate_id text, event_type text, event_version integer, occurred_at timestamptz,
              data jsonb, metadata jsonb)
       JOIN unnest(v_ids, v_previous) AS s(aggregate_id, previous) ON s.aggregate_id = e.aggregate_id
      ORDER BY e.i
     -- Payloads are not sent back: the caller has them (data NULL means 'as sent').
     ${RETURNING_WITHOUT_PAYLOAD};
   END $$`;
