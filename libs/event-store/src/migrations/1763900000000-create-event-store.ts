import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The event store's base schema: events, streams, snapshots, redaction log,
 * the append-only guard, row-level security and the one-statement append.
 *
 * Each index names the query it serves. The same SQL runs on PostgreSQL 15+
 * and on PGlite (PostgreSQL 18).
 */
export class CreateEventStore1763900000000 implements MigrationInterface {
  name = 'CreateEventStore1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of UP) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const statement of DOWN) await queryRunner.query(statement);
  }
}

// Roles are cluster-wide: several databases (one per test file, or per app)
// share them, so creation tolerates a role that exists or is being created
// concurrently by another database's migration.
const createRole = (name: string) => `
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${name}') THEN
    CREATE ROLE ${name} NOLOGIN NOBYPASSRLS;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$`;

// The connecting user must be able to SET ROLE to both roles.
const grantRoleToCurrentUser = (name: string) => `
DO $$
BEGIN
  IF NOT pg_has_role(current_user, '${name}', 'MEMBER') THEN
    EXECUTE format('GRANT ${name} TO %I', current_user);
  END IF;
END $$`;

const tenantPredicate = `tenant_id = current_setting('app.tenant_id', true)`;

const GROUP_RESULT_COLUMNS = `
     append_index integer, error_code text, error_message text, error_detail text, error_constraint text,
     global_position bigint, event_id uuid, tenant_id text, aggregate_type text, aggregate_id text,
     aggregate_version integer, event_type text, event_version integer, occurred_at timestamptz,
     stored_at timestamptz, data jsonb, metadata jsonb, transaction_id xid8, is_redacted boolean,
     redacted_at timestamptz`;

// What an append returns of the rows it inserted: every column in table
// order, but the payload and metadata as NULL (the caller sent them).
const RETURNING_WITHOUT_PAYLOAD = `RETURNING d.global_position, d.event_id, d.tenant_id, d.aggregate_type, d.aggregate_id,
       d.aggregate_version, d.event_type, d.event_version, d.occurred_at, d.stored_at,
       NULL::jsonb AS data, NULL::jsonb AS metadata, d.transaction_id, d.is_redacted, d.redacted_at`;

// The event columns of GROUP_RESULT_COLUMNS as NULLs, for rows that report an error.
const NO_EVENT = `NULL::bigint, NULL::uuid, NULL::text, NULL::text, NULL::text, NULL::integer, NULL::text,
     NULL::integer, NULL::timestamptz, NULL::timestamptz, NULL::jsonb, NULL::jsonb, NULL::xid8,
     NULL::boolean, NULL::timestamptz`;

const UP = [
  createRole('event_store_tenant'),
  createRole('event_store_system'),
  grantRoleToCurrentUser('event_store_tenant'),
  grantRoleToCurrentUser('event_store_system'),

  `CREATE TABLE event_store_streams (
     tenant_id      text        NOT NULL,
     aggregate_id   text        NOT NULL,
     aggregate_type text        NOT NULL,
     version        integer     NOT NULL CHECK (version >= 0),
     created_at     timestamptz NOT NULL DEFAULT now(),
     updated_at     timestamptz NOT NULL DEFAULT now(),
     -- version allocation: the append upserts and locks this row
     CONSTRAINT pk_event_store_streams PRIMARY KEY (tenant_id, aggregate_id)
   )`,

  `CREATE TABLE stored_domain_events (
     global_position   bigint GENERATED ALWAYS AS IDENTITY,
     event_id          uuid        NOT NULL,
     tenant_id         text        NOT NULL,
     aggregate_type    text        NOT NULL,
     aggregate_id      text        NOT NULL,
     aggregate_version integer     NOT NULL CHECK (aggregate_version >= 1),
     event_type        text        NOT NULL,
     event_version     integer     NOT NULL DEFAULT 1 CHECK (event_version >= 1),
     occurred_at       timestamptz NOT NULL,
     stored_at         timestamptz NOT NULL DEFAULT now(),
     data              jsonb       NOT NULL CHECK (jsonb_typeof(data) = 'object'),
     metadata          jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(metadata) = 'object'),
     transaction_id    xid8        NOT NULL DEFAULT pg_current_xact_id(),
     is_redacted       boolean     NOT NULL DEFAULT false,
     redacted_at       timestamptz,
     CONSTRAINT pk_stored_domain_events PRIMARY KEY (global_position),
     -- getEventById, idempotent re-append
     CONSTRAINT uq_stored_domain_events_event_id UNIQUE (tenant_id, event_id),
     -- getEventsForAggregate (range by version); guarantees one event per stream version
     CONSTRAINT uq_stored_domain_events_stream_version UNIQUE (tenant_id, aggregate_id, aggregate_version)
   )`,
  // streamEvents / subscriptions across tenants: gap-safe order (transaction_id, global_position)
  `CREATE INDEX ix_events_tx_order ON stored_domain_events (transaction_id, global_position)`,
  // streamEvents for one tenant, same order
  `CREATE INDEX ix_events_tenant_tx_order ON stored_domain_events (tenant_id, transaction_id, global_position)`,
  // getEventsSince(position); first/last event of getStatistics
  `CREATE INDEX ix_events_tenant_position ON stored_domain_events (tenant_id, global_position)`,
  // getEventsByType, queryEvents(eventTypes): filter and keyset order in one index
  `CREATE INDEX ix_events_tenant_type ON stored_domain_events (tenant_id, event_type, transaction_id, global_position)`,
  // getEventsByAggregateType, queryEvents(aggregateType)
  `CREATE INDEX ix_events_tenant_aggregate_type ON stored_domain_events (tenant_id, aggregate_type, transaction_id, global_position)`,
  // getEventsSince(Date), queryEvents(from/to)
  `CREATE INDEX ix_events_tenant_occurred ON stored_domain_events (tenant_id, occurred_at)`,
  // queryEvents(correlationId)
  `CREATE INDEX ix_events_tenant_correlation ON stored_domain_events (tenant_id, (metadata->>'correlationId'), transaction_id, global_position)`,
  // queryEvents(userId)
  `CREATE INDEX ix_events_tenant_user ON stored_domain_events (tenant_id, (metadata->>'userId'), transaction_id, global_position)`,
  // eraseSubject: metadata @> '{"subjectId": …}' / '{"subjectIds": […]}' (tenant is in the predicate too)
  `CREATE INDEX ix_events_subjects ON stored_domain_events USING gin (metadata jsonb_path_ops)`,

  `CREATE TABLE event_store_snapshots (
     tenant_id      text        NOT NULL,
     aggregate_id   text        NOT NULL,
     aggregate_type text        NOT NULL,
     version        integer     NOT NULL CHECK (version >= 1),
     schema_version integer     NOT NULL DEFAULT 1,
     state          jsonb       NOT NULL,
     created_at     timestamptz NOT NULL DEFAULT now(),
     -- getLatestSnapshot: newest version first
     CONSTRAINT pk_event_store_snapshots PRIMARY KEY (tenant_id, aggregate_id, version)
   )`,

  `CREATE TABLE event_store_redactions (
     id                      bigint GENERATED ALWAYS AS IDENTITY,
     tenant_id               text        NOT NULL,
     event_id                uuid        NOT NULL,
     global_position         bigint      NOT NULL,
     reason                  text        NOT NULL,
     requested_by            text        NOT NULL,
     removed_metadata_keys   text[]      NOT NULL DEFAULT '{}',
     redacted_at             timestamptz NOT NULL DEFAULT now(),
     CONSTRAINT pk_event_store_redactions PRIMARY KEY (id)
   )`,
  // audit of one event's redaction
  `CREATE INDEX ix_redactions_tenant_event ON event_store_redactions (tenant_id, event_id)`,

  // Append-only, enforced where no code path can forget it. Redaction may
  // rewrite the payload columns only, and only with its per-transaction switch
  // on; a purge may delete only with its own switch on.
  `CREATE FUNCTION event_store_guard_append_only() RETURNS trigger
   LANGUAGE plpgsql AS $$
   BEGIN
     IF TG_OP = 'UPDATE' AND current_setting('event_store.redaction', true) = 'on' THEN
       IF (to_jsonb(NEW) - 'data' - 'metadata' - 'is_redacted' - 'redacted_at')
          IS DISTINCT FROM (to_jsonb(OLD) - 'data' - 'metadata' - 'is_redacted' - 'redacted_at') THEN
         RAISE EXCEPTION 'redaction may only change data, metadata, is_redacted and redacted_at'
           USING ERRCODE = 'ESAPO';
       END IF;
       RETURN NEW;
     ELSIF TG_OP = 'DELETE' AND current_setting('event_store.purge', true) = 'on' THEN
       RETURN OLD;
     END IF;
     RAISE EXCEPTION 'stored_domain_events is append-only: % is not allowed', TG_OP
       USING ERRCODE = 'ESAPO',
             HINT = 'Use redactEvent for GDPR redaction or clearTenantEvents for an enabled purge.';
   END $$`,
  `CREATE TRIGGER trg_events_append_only BEFORE UPDATE OR DELETE ON stored_domain_events
   FOR EACH ROW EXECUTE FUNCTION event_store_guard_append_only()`,
  `CREATE TRIGGER trg_events_no_truncate BEFORE TRUNCATE ON stored_domain_events
   FOR EACH STATEMENT EXECUTE FUNCTION event_store_guard_append_only()`,

  // Row-level security, FORCE'd so that the table owner is bound too. A
  // transaction without app.tenant_id sees nothing; the system role reads all.
  ...['stored_domain_events', 'event_store_streams', 'event_store_snapshots', 'event_store_redactions'].flatMap((table) => [
    `ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`,
    `ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`,
    `CREATE POLICY tenant_isolation ON ${table} USING (${tenantPredicate}) WITH CHECK (${tenantPredicate})`,
    `CREATE POLICY system_read ON ${table} FOR SELECT TO event_store_system USING (true)`,
  ]),
  `GRANT SELECT, INSERT, DELETE ON stored_domain_events TO event_store_tenant`,
  `GRANT UPDATE (data, metadata, is_redacted, redacted_at) ON stored_domain_events TO event_store_tenant`,
  `GRANT SELECT, INSERT, UPDATE, DELETE ON event_store_streams, event_store_snapshots TO event_store_tenant`,
  `GRANT SELECT, INSERT, DELETE ON event_store_redactions TO event_store_tenant`,
  `GRANT SELECT ON stored_domain_events, event_store_streams, event_store_snapshots, event_store_redactions TO event_store_system`,

  // One round trip per append: switch to the tenant role, check idempotency,
  // allocate versions for every stream of the batch (upsert + row lock, in
  // aggregate_id order so that multi-stream appends cannot deadlock), check
  // expected versions, insert all rows. Any failure raises and the statement
  // rolls back whole: nothing is half-written. Each event of p_events carries
  // i, its index in the batch, and k, its place within its stream in the
  // batch (1, 2, …; counted by the caller), so versions need no window sort.
  `CREATE FUNCTION event_store_append(p_tenant_id text, p_events jsonb, p_expected jsonb, p_client_ids boolean DEFAULT true)
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
     -- Skipped when the store generated every id (fresh random UUIDs). The
     -- probe is planned per call (EXECUTE): a plan cached while the table was
     -- still small may probe the tenant index and then scan the tenant's
     -- whole log on every append. LATERAL ... LIMIT 1 keeps it to one
     -- unique-index lookup per event.
     IF p_client_ids THEN
       EXECUTE
         'SELECT count(*), (array_agg(e.event_id) FILTER (
                  WHERE s.aggregate_id <> e.aggregate_id OR s.aggregate_type <> e.aggregate_type
                     OR s.event_type <> e.event_type OR s.event_version <> e.event_version
                     OR s.data <> e.data))[1]
           FROM jsonb_to_recordset($2) AS e(event_id uuid, aggregate_id text, aggregate_type text,
                                            event_type text, event_version integer, data jsonb)
           CROSS JOIN LATERAL (
             SELECT x.aggregate_id, x.aggregate_type, x.event_type, x.event_version, x.data
               FROM stored_domain_events x
              WHERE x.tenant_id = $1 AND x.event_id = e.event_id
              LIMIT 1) s'
         INTO v_existing, v_mismatch
         USING p_tenant_id, p_events;
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
     ${RETURNING_WITHOUT_PAYLOAD};
   END $$`,

  // Group commit, general form: several appends of one process in one
  // transaction and one round trip, each in its own subtransaction (the
  // EXCEPTION block), so it keeps its own atomicity, concurrency check and
  // error: a failed append is rolled back alone and reported on its index
  // row; the others commit together. Used when ids come from the caller
  // (idempotent retries need the full per-append path). Callers keep groups
  // small (past 64 subtransactions every snapshot in the cluster slows down).
  `CREATE FUNCTION event_store_append_each(p_appends jsonb)
   RETURNS TABLE (${GROUP_RESULT_COLUMNS})
   LANGUAGE plpgsql AS $$
   #variable_conflict use_column
   DECLARE
     v_append jsonb;
     v_index  integer := 0;
     v_code   text;
     v_msg    text;
     v_detail text;
     v_constr text;
   BEGIN
     FOR v_append IN SELECT value FROM jsonb_array_elements(p_appends) LOOP
       BEGIN
         RETURN QUERY SELECT v_index, NULL::text, NULL::text, NULL::text, NULL::text, a.*
           FROM event_store_append(v_append->>'tenant', v_append->'events', v_append->'expected', (v_append->>'clientIds')::boolean) a;
       EXCEPTION WHEN OTHERS THEN
         GET STACKED DIAGNOSTICS v_code = RETURNED_SQLSTATE, v_msg = MESSAGE_TEXT,
                                 v_detail = PG_EXCEPTION_DETAIL, v_constr = CONSTRAINT_NAME;
         RETURN QUERY SELECT v_index, v_code, v_msg, v_detail, v_constr, ${NO_EVENT};
       END;
       v_index := v_index + 1;
     END LOOP;
   END $$`,

  // Group commit, set-based form (store-generated ids, the common case): per
  // tenant, lock the group's existing streams in key order, decide every
  // append in order against the versions the earlier ones left (expected
  // version, aggregate type), then write all stream versions in one
  // statement and all events of the accepted appends in one INSERT. A
  // rejected append is reported on its index row and writes nothing. Server
  // work per append is then a fraction of a separate call's. Sequential scans
  // are off inside (the streams table has one index, its key): a plan cached
  // while the table was small must not become a scan of every stream later.
  // Raises ESRTY when another transaction created one of the new streams
  // meanwhile; the caller then sends the appends one by one. Only for
  // store-made ids: the caller sends appends with its own ids to
  // event_store_append_each, whose per-append path handles idempotent retries.
  `CREATE FUNCTION event_store_append_group(p_appends jsonb)
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

       -- The group's existing streams, locked in key order (the order every append locks in).
       SELECT coalesce(jsonb_object_agg(s.aggregate_id, s.version), '{}'),
              coalesce(jsonb_object_agg(s.aggregate_id, s.aggregate_type), '{}')
         INTO v_versions, v_types
         FROM (SELECT x.aggregate_id, x.version, x.aggregate_type
                 FROM event_store_streams x
                WHERE x.tenant_id = v_tenant
                  AND x.aggregate_id = ANY (ARRAY(
                        SELECT DISTINCT e.aggregate_id
                          FROM jsonb_array_elements(p_appends) a, jsonb_to_recordset(a->'events') e(aggregate_id text)
                         WHERE a->>'tenant' = v_tenant))
                ORDER BY x.aggregate_id
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
         v_expected := coalesce(v_row.expected -> v_row.aggregate_id, v_row.expected -> '*', '"any"'::jsonb);
         v_ok := CASE
           WHEN jsonb_typeof(v_expected) = 'number' THEN v_current = (v_expected #>> '{}')::integer
           WHEN v_expected = '"no_stream"'::jsonb THEN v_current = 0
           WHEN v_expected = '"stream_exists"'::jsonb THEN v_current > 0
           ELSE true
         END;
         IF NOT v_ok THEN
           v_cur_ok := false;
           v_fail_idx := v_fail_idx || v_row.idx; v_fail_code := v_fail_code || 'ESCON'::text;
           v_fail_msg := v_fail_msg || 'expected version does not match'::text;
           v_fail_det := v_fail_det || json_build_object('aggregateId', v_row.aggregate_id,
                           'expectedVersion', v_expected, 'actualVersion', v_current)::text;
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
   END $$`,
  `ALTER FUNCTION event_store_append_group(jsonb) SET enable_seqscan = off`,

  // One batch of the gap-safe global order (streamEvents, subscriptions) in
  // one round trip: switches to the tenant role (or the system role for all
  // tenants) for this statement's transaction and reads rows below the oldest
  // running transaction, in (transaction_id, global_position) order. Planned
  // per call (EXECUTE) with the actual tenant: whether the tenant's index or
  // the global order index is cheaper depends on the tenant's share of the
  // log, which a plan cached for the session would not see.
  `CREATE FUNCTION event_store_read_batch(p_tenant_id text, p_after_xid xid8, p_after_position bigint,
                                          p_limit integer, p_event_types text[])
   RETURNS SETOF stored_domain_events
   LANGUAGE plpgsql AS $$
   BEGIN
     IF p_tenant_id IS NULL THEN
       PERFORM set_config('role', 'event_store_system', true);
     ELSE
       PERFORM set_config('app.tenant_id', p_tenant_id, true);
       PERFORM set_config('role', 'event_store_tenant', true);
     END IF;
     RETURN QUERY EXECUTE
       'SELECT e.* FROM stored_domain_events e
         WHERE (e.transaction_id, e.global_position) > ($2, $3)
           AND e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())'
       || CASE WHEN p_tenant_id IS NULL THEN '' ELSE ' AND e.tenant_id = $1' END
       || CASE WHEN p_event_types IS NULL THEN '' ELSE ' AND e.event_type = ANY ($5)' END
       || ' ORDER BY e.transaction_id, e.global_position LIMIT $4'
       USING p_tenant_id, p_after_xid, p_after_position, p_limit, p_event_types;
   END $$`,
];

const DOWN = [
  `DROP FUNCTION IF EXISTS event_store_read_batch(text, xid8, bigint, integer, text[])`,
  `DROP FUNCTION IF EXISTS event_store_append_group(jsonb)`,
  `DROP FUNCTION IF EXISTS event_store_append_each(jsonb)`,
  `DROP FUNCTION IF EXISTS event_store_append(text, jsonb, jsonb, boolean)`,
  `DROP TABLE IF EXISTS event_store_redactions`,
  `DROP TABLE IF EXISTS event_store_snapshots`,
  `DROP TABLE IF EXISTS stored_domain_events`,
  `DROP FUNCTION IF EXISTS event_store_guard_append_only()`,
  `DROP TABLE IF EXISTS event_store_streams`,
  // The roles are cluster-wide and may serve other databases: they stay.
];
