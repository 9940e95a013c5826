import { MigrationInterface, QueryRunner } from 'typeorm';
import { EVENT_STORE_APPEND_EACH } from '../store/sql/event-store-append-each.sql';
import { APPEND_1763900000000 } from './history/1763900000000-event-store-append.sql';
import { APPEND_GROUP_1763900000000 } from './history/1763900000000-event-store-append-group.sql';
import { GUARD_APPEND_ONLY_1763900000000 } from './history/1763900000000-event-store-guard-append-only.sql';
import { READ_BATCH_1763900000000 } from './history/1763900000000-event-store-read-batch.sql';

/**
 * The event store's base schema: events, streams, snapshots, redaction log,
 * the append-only guard, row-level security and the one-statement append.
 *
 * Its functions are in files of their own (decision 0018): those that later
 * migrations replaced as they were then (migrations/history/), the others in
 * their current definition beside the code that calls them.
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

  GUARD_APPEND_ONLY_1763900000000,
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

  APPEND_1763900000000,
  EVENT_STORE_APPEND_EACH,
  APPEND_GROUP_1763900000000,
  `ALTER FUNCTION event_store_append_group(jsonb) SET enable_seqscan = off`,

  READ_BATCH_1763900000000,
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
