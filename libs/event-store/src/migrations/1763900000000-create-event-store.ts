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
  ...['stored_domain_events', 'event_store_streams', 'event_store_snapshots', 'event_store_redactions'].flatMap(
    (table) => [
      `ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`,
      `ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`,
      `CREATE POLICY tenant_isolation ON ${table} USING (${tenantPredicate}) WITH CHECK (${tenantPredicate})`,
      `CREATE POLICY system_read ON ${table} FOR SELECT TO event_store_system USING (true)`,
    ],
  ),
  `GRANT SELECT, INSERT, DELETE ON stored_domain_events TO event_store_tenant`,
  `GRANT UPDATE (data, metadata, is_redacted, redacted_at) ON stored_domain_events TO event_store_tenant`,
  `GRANT SELECT, INSERT, UPDATE, DELETE ON event_store_streams, event_store_snapshots TO event_store_tenant`,
  `GRANT SELECT, INSERT, DELETE ON event_store_redactions TO event_store_tenant`,
  `GRANT SELECT ON stored_domain_events, event_store_streams, event_store_snapshots, event_store_redactions TO event_store_system`,

  // One round trip per append: switch to the tenant role, check idempotency,
  // allocate versions for every stream of the batch (upsert + row lock, in
  // aggregate_id order so that multi-stream appends cannot deadlock), check
  // expected versions, insert all rows. Any failure raises and the statement
  // rolls back whole: nothing is half-written.
  `CREATE FUNCTION event_store_append(p_tenant_id text, p_events jsonb, p_expected jsonb)
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
     SELECT count(*), (array_agg(e.event_id) FILTER (
              WHERE s.aggregate_id <> e.aggregate_id OR s.aggregate_type <> e.aggregate_type
                 OR s.event_type <> e.event_type OR s.event_version <> e.event_version
                 OR s.data <> e.data))[1]
       INTO v_existing, v_mismatch
       FROM jsonb_to_recordset(p_events) AS e(event_id uuid, aggregate_id text, aggregate_type text,
                                               event_type text, event_version integer, data jsonb)
       JOIN stored_domain_events s ON s.tenant_id = p_tenant_id AND s.event_id = e.event_id;
     IF v_mismatch IS NOT NULL THEN
       RAISE EXCEPTION 'event id reused with different content' USING ERRCODE = 'ESDUP', DETAIL = v_mismatch::text;
     END IF;
     IF v_existing = v_count THEN
       RETURN QUERY SELECT s.* FROM stored_domain_events s
         WHERE s.tenant_id = p_tenant_id
           AND s.event_id IN (SELECT (x->>'event_id')::uuid FROM jsonb_array_elements(p_events) x)
         ORDER BY s.global_position;
       RETURN;
     ELSIF v_existing > 0 THEN
       RAISE EXCEPTION 'some event ids of this batch were stored by another append' USING ERRCODE = 'ESDUP',
         DETAIL = (SELECT e.event_id::text FROM jsonb_to_recordset(p_events) AS e(event_id uuid)
                     JOIN stored_domain_events s ON s.tenant_id = p_tenant_id AND s.event_id = e.event_id LIMIT 1);
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
            s.previous + (row_number() OVER (PARTITION BY e.aggregate_id ORDER BY e.i))::integer,
            e.event_type, e.event_version, e.occurred_at, e.data, e.metadata
       FROM jsonb_to_recordset(p_events) AS e(i integer, event_id uuid, aggregate_type text,
              aggregate_id text, event_type text, event_version integer, occurred_at timestamptz,
              data jsonb, metadata jsonb)
       JOIN unnest(v_ids, v_previous) AS s(aggregate_id, previous) ON s.aggregate_id = e.aggregate_id
      ORDER BY e.i
     RETURNING d.*;
   END $$`,
];

const DOWN = [
  `DROP FUNCTION IF EXISTS event_store_append(text, jsonb, jsonb)`,
  `DROP TABLE IF EXISTS event_store_redactions`,
  `DROP TABLE IF EXISTS event_store_snapshots`,
  `DROP TABLE IF EXISTS stored_domain_events`,
  `DROP FUNCTION IF EXISTS event_store_guard_append_only()`,
  `DROP TABLE IF EXISTS event_store_streams`,
  // The roles are cluster-wide and may serve other databases: they stay.
];
