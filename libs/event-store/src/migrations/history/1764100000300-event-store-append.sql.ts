// Frozen (decision 0018): this function as migration 1764100000300 created it
// (1764100000600 then removed its role switch and made it SECURITY DEFINER,
// and 1764300000100 planned it per call). OptimisticAppend1764300000200
// replaced it; its `down` restores this text. The current definition:
// store/sql/event-store-append.sql.ts.
export const APPEND_1764100000300 = `CREATE OR REPLACE FUNCTION event_store_append(p_tenant_id text, p_events jsonb, p_expected jsonb, p_client_ids boolean DEFAULT true)
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
     PERFORM set_config('role', 'event_store_tenant', true);

     -- Idempotency: the same ids with the same content return what is stored.
     -- Skipped when the store generated every id (fresh random UUIDs). One
     -- lookup per event in uq_stored_domain_events_event_id: the full unique
     -- key is in the condition, and with no statistics on tenant_id no other
     -- index can look cheaper (see migration 1764100000300). Same content:
     -- stream, types, version, data and metadata; only metadata.correlationId
     -- may differ (it names the request, and a retry is a new request).
     IF p_client_ids THEN
       SELECT count(*), (array_agg(e.event_id) FILTER (
                WHERE s.aggregate_id <> e.aggregate_id OR s.aggregate_type <> e.aggregate_type
                   OR s.event_type <> e.event_type OR s.event_version <> e.event_version
                   OR s.data <> e.data
                   OR (s.metadata - 'correlationId') <> (coalesce(e.metadata, '{}') - 'correlationId')))[1]
         INTO v_existing, v_mismatch
         FROM jsonb_to_recordset(p_events) AS e(event_id uuid, aggregate_id text, aggregate_type text,
                                                event_type text, event_version integer, data jsonb, metadata jsonb)
         CROSS JOIN LATERAL (
           SELECT x.aggregate_id, x.aggregate_type, x.event_type, x.event_version, x.data, x.metadata
             FROM stored_domain_events x
            WHERE x.tenant_id = p_tenant_id AND x.event_id = e.event_id
            LIMIT 1) s;
     ELSE
       v_existing := 0;
     END IF;
     IF v_mismatch IS NOT NULL THEN
       RAISE EXCEPTION 'event id reused with different content' USING ERRCODE = 'ESDUP', DETAIL = v_mismatch::text;
     END IF;
     IF v_existing = v_count THEN
       RETURN QUERY SELECT s.* FROM jsonb_to_recordset(p_events) AS e(event_id uuid)
         CROSS JOIN LATERAL (
           SELECT x.* FROM stored_domain_events x
            WHERE x.tenant_id = p_tenant_id AND x.event_id = e.event_id
            LIMIT 1) s
         ORDER BY s.global_position;
       RETURN;
     ELSIF v_existing > 0 THEN
       RAISE EXCEPTION 'some event ids of this batch were stored by another append' USING ERRCODE = 'ESDUP',
         DETAIL = (SELECT e.event_id::text FROM jsonb_to_recordset(p_events) AS e(event_id uuid)
                    WHERE EXISTS (SELECT 1 FROM stored_domain_events x
                                   WHERE x.tenant_id = p_tenant_id AND x.event_id = e.event_id
                                   LIMIT 1)
                    LIMIT 1);
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
       IF v_stream.type_count > 1 OR v_stream.stream_type <> v_stream.batch_type THEN
         RAISE EXCEPTION 'aggregate type does not match the stream' USING ERRCODE = 'ESTYP',
           DETAIL = json_build_object('aggregateId', v_stream.aggregate_id,
                                      'streamType', v_stream.stream_type,
                                      'requestedType', v_stream.batch_type)::text;
       END IF;
       v_expected := coalesce(p_expected -> v_stream.aggregate_id, p_expected -> '*', '"any"'::jsonb);
       v_ok := CASE
         WHEN jsonb_typeof(v_expected) = 'number' THEN v_stream.previous = (v_expected #>> '{}')::integer
         WHEN v_expected = '"no_stream"'::jsonb THEN v_stream.previous = 0
         WHEN v_expected = '"stream_exists"'::jsonb THEN v_stream.previous > 0
         ELSE true
       END;
       IF NOT v_ok THEN
         RAISE EXCEPTION 'expected version does not match' USING ERRCODE = 'ESCON',
           DETAIL = json_build_object('aggregateId', v_stream.aggregate_id,
                                      'expectedVersion', v_expected,
                                      'actualVersion', v_stream.previous)::text;
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
     RETURNING d.global_position, d.event_id, d.tenant_id, d.aggregate_type, d.aggregate_id,
       d.aggregate_version, d.event_type, d.event_version, d.occurred_at, d.stored_at,
       NULL::jsonb AS data, NULL::jsonb AS metadata, d.transaction_id, d.is_redacted, d.redacted_at;
   END $$`;
