import { MigrationInterface, QueryRunner } from 'typeorm';
import { EventStoreRoles, eventStoreRoles } from '../database/roles';
import { EVENT_STORE_GUARD_APPEND_ONLY } from '../database/sql/event-store-guard-append-only.sql';
import { EVENT_STORE_REQUIRE_TENANT } from '../database/sql/event-store-require-tenant.sql';
import { EVENT_STORE_TRANSACTION_HORIZON } from '../database/sql/event-store-transaction-horizon.sql';
import { EVENT_STORE_REDACT } from '../redaction/sql/event-store-redact.sql';
import { EVENT_STORE_SUBJECT_POSITIONS } from '../redaction/sql/event-store-subject-positions.sql';
import { EVENT_STORE_PURGE_TENANT } from '../store/sql/event-store-purge-tenant.sql';
import { EVENT_STORE_READ_ALL_BATCH, EVENT_STORE_READ_ALL_BATCH_SETTINGS } from '../store/sql/event-store-read-all-batch.sql';
import { EVENT_STORE_HEAD_CHECKPOINT } from '../subscriptions/sql/event-store-head-checkpoint.sql';
import { EVENT_STORE_READER_LAG } from '../subscriptions/sql/event-store-reader-lag.sql';
import { GUARD_APPEND_ONLY_1763900000000 } from './history/1763900000000-event-store-guard-append-only.sql';

/**
 * Least privilege (docs/decisions/0003). After this migration:
 * - the tenant role reads its tenant's rows and writes snapshots, nothing
 *   else; events, streams and the redaction log change only inside
 *   SECURITY DEFINER functions owned by the writer role, which no login is
 *   granted and which row-level security binds like the tenant role;
 * - no policy lets a role that a login holds read across tenants: the
 *   cross-tenant reads are functions owned by the reader role, executable by
 *   the runtime group role only (not PUBLIC, not the tenant role);
 * - the append-only trigger honours no session setting: only the writer may
 *   rewrite (payload columns, marking the event redacted) or delete (purge);
 * - the redaction log is append-only for everyone.
 *
 * Role names come from the module option `rolePrefix` (eventStoreMigrations).
 * The bodies of the append and read functions are taken from the database as
 * they are (later migrations may have changed them) and only their role
 * switches are removed, which a SECURITY DEFINER function may not make.
 */
export class LeastPrivilege1764100000600 implements MigrationInterface {
  name = 'LeastPrivilege1764100000600';

  constructor(private readonly roles: EventStoreRoles = eventStoreRoles()) {}

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of up(this.roles)) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const statement of down(this.roles)) await queryRunner.query(statement);
  }
}

const TABLES = ['stored_domain_events', 'event_store_streams', 'event_store_snapshots', 'event_store_redactions'];
const OLD_ROLES = 'event_store_tenant, event_store_system';

// Existing functions whose bodies switch roles; they become SECURITY DEFINER.
const REWRITTEN = [
  'event_store_append(text,jsonb,jsonb,boolean)',
  'event_store_append_group(jsonb)',
  'event_store_read_batch(text,xid8,bigint,integer,text[])',
];
const APPEND_AND_READ = [...REWRITTEN, 'event_store_append_each(jsonb)'];
const WRITER_FUNCTIONS = [
  ...APPEND_AND_READ,
  'event_store_redact(text,bigint[],text,text,text[])',
  'event_store_purge_tenant(text,integer)',
];
const READER_FUNCTIONS = [
  'event_store_read_all_batch(xid8,bigint,integer,text[])',
  'event_store_head_checkpoint()',
  'event_store_reader_lag(xid8,bigint,text,text[])',
  'event_store_transaction_horizon()',
  'event_store_subject_positions(text,text,integer)',
];
const HELPERS = ['event_store_require_tenant(text)'];

// Marks a removed role switch so that down() can put it back (and later migrations restoring a body it rewrote).
export const MARK = '-- removed by LeastPrivilege1764100000600: ';
const dollar = (text: string) => `$q$${text}$q$`;
const REFUSE_ALL_TENANTS = `RAISE EXCEPTION 'a tenant is required, the cross-tenant read is event_store_read_all_batch' USING ERRCODE = '42501';`;

const roleBlock = (body: string) => `DO $do$\nBEGIN\n${body}\nEND $do$`;
const createRole = (name: string) => `
DO $do$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${name}') THEN
    CREATE ROLE ${name} NOLOGIN NOBYPASSRLS;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $do$`;
// Skipped when the membership exists (a DBA created the roles beforehand:
// the migrating login then needs no CREATEROLE).
const grantMembership = (role: string, member: string) => `
DO $do$
BEGIN
  IF NOT pg_has_role(${member}, '${role}', 'MEMBER') THEN
    EXECUTE format('GRANT %I TO %I', '${role}', ${member});
  END IF;
EXCEPTION WHEN unique_violation THEN NULL;
END $do$`;

// Applies a regexp replacement to each function's full definition and runs
// it; refuses a result in which `leftover` still matches (comments of MARK aside).
const rewriteBodies = (functions: string[], replacements: [string, string][], leftover: string) => `
DO $do$
DECLARE
  v_fn regprocedure;
  v_def text;
BEGIN
  FOREACH v_fn IN ARRAY ARRAY[${functions.map((f) => `'${f}'`).join(', ')}]::regprocedure[] LOOP
    v_def := pg_get_functiondef(v_fn);
    ${replacements.map(([from, to]) => `v_def := regexp_replace(v_def, ${dollar(from)}, ${dollar(to)}, 'g');`).join('\n    ')}
    IF ${leftover} THEN
      RAISE EXCEPTION 'function % switches roles in a way LeastPrivilege1764100000600 does not know', v_fn;
    END IF;
    EXECUTE v_def;
  END LOOP;
END $do$`;
const SWITCH_LEFT = (source: string) =>
  `regexp_replace(${source}, ${dollar(`${MARK}[^\\n]*`)}, '', 'g') ~ ${dollar(`set_config\\(\\s*'role'`)}`;

// A function of the store that still switches roles would fail for a
// non-member runtime login, or fail as SECURITY DEFINER: stop here instead,
// naming it (a later migration's new function must take the writer's or the
// reader's side, see decision 0003).
const NO_ROLE_SWITCH_LEFT = `
DO $do$
DECLARE
  v_list text;
BEGIN
  SELECT string_agg(p.oid::regprocedure::text, ', ') INTO v_list
    FROM pg_proc p
   WHERE p.pronamespace = current_schema()::regnamespace AND p.proname LIKE 'event\\_store\\_%'
     AND ${SWITCH_LEFT('p.prosrc')};
  IF v_list IS NOT NULL THEN
    RAISE EXCEPTION 'functions still switch roles, which a runtime login may not: %', v_list;
  END IF;
END $do$`;

const alterFunctions = (functions: string[], clause: string) => functions.map((f) => `ALTER FUNCTION ${f} ${clause}`);

// ALTER … OWNER TO by a non-superuser needs the new owner to have CREATE on
// the schema; granted for the statement's duration only.
const setOwners = (roles: EventStoreRoles) => `
DO $do$
DECLARE
  v_fn text;
BEGIN
  EXECUTE format('GRANT CREATE ON SCHEMA %I TO %I, %I', current_schema(), '${roles.writer}', '${roles.reader}');
  FOREACH v_fn IN ARRAY ARRAY[${WRITER_FUNCTIONS.map((f) => `'${f}'`).join(', ')}] LOOP
    EXECUTE format('ALTER FUNCTION %s OWNER TO %I', v_fn, '${roles.writer}');
    EXECUTE format('ALTER FUNCTION %s SECURITY DEFINER SET search_path = %I, pg_temp', v_fn, current_schema());
  END LOOP;
  FOREACH v_fn IN ARRAY ARRAY[${READER_FUNCTIONS.map((f) => `'${f}'`).join(', ')}] LOOP
    EXECUTE format('ALTER FUNCTION %s OWNER TO %I', v_fn, '${roles.reader}');
    EXECUTE format('ALTER FUNCTION %s SECURITY DEFINER SET search_path = %I, pg_temp', v_fn, current_schema());
  END LOOP;
  EXECUTE format('REVOKE CREATE ON SCHEMA %I FROM %I, %I', current_schema(), '${roles.writer}', '${roles.reader}');
END $do$`;

function up(r: EventStoreRoles): string[] {
  return [
    ...[r.tenant, r.writer, r.reader, r.runtime, r.purge].map(createRole),
    // The migrating login must be a member of the owner roles to hand them
    // functions; of runtime and purge so that a single-login setup runs.
    ...[r.writer, r.reader, r.runtime, r.purge].map((role) => grantMembership(role, 'current_user')),
    grantMembership(r.tenant, `'${r.runtime}'`),

    // The old model: a cross-tenant SELECT policy for a role the login held,
    // and write grants to the tenant role.
    ...TABLES.map((t) => `DROP POLICY IF EXISTS system_read ON ${t}`),
    `REVOKE ALL ON ${TABLES.join(', ')} FROM ${OLD_ROLES}, PUBLIC`,
    `REVOKE ALL ON event_store_subscriptions, event_store_dead_letters FROM PUBLIC`,

    `GRANT SELECT ON ${TABLES.join(', ')} TO ${r.tenant}`,
    // Snapshots are a cache the tenant may replace (recordSnapshot upserts); never delete.
    `GRANT INSERT, UPDATE (state, schema_version, created_at) ON event_store_snapshots TO ${r.tenant}`,
    `GRANT SELECT, INSERT, DELETE, UPDATE (data, metadata, is_redacted, redacted_at) ON stored_domain_events TO ${r.writer}`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON event_store_streams TO ${r.writer}`,
    `GRANT SELECT, DELETE ON event_store_snapshots TO ${r.writer}`,
    `GRANT SELECT, INSERT ON event_store_redactions TO ${r.writer}`,
    `GRANT SELECT ON stored_domain_events TO ${r.reader}`,
    `CREATE POLICY cross_tenant_read ON stored_domain_events FOR SELECT TO ${r.reader} USING (true)`,
    // Subscriptions and dead letters are not tenant data (decision 0009).
    `GRANT SELECT, INSERT, UPDATE, DELETE ON event_store_subscriptions, event_store_dead_letters TO ${r.runtime}`,
    // So that a runtime login started with migrationsRun finds nothing pending.
    roleBlock(`  IF to_regclass('event_store_migrations') IS NOT NULL THEN
    EXECUTE format('GRANT SELECT ON event_store_migrations TO %I', '${r.runtime}');
  END IF;`),

    EVENT_STORE_GUARD_APPEND_ONLY,
    `DROP TRIGGER trg_events_append_only ON stored_domain_events`,
    `CREATE TRIGGER trg_events_append_only BEFORE UPDATE OR DELETE ON stored_domain_events
     FOR EACH ROW EXECUTE FUNCTION event_store_guard_append_only('${r.writer}')`,
    `CREATE TRIGGER trg_redactions_append_only BEFORE UPDATE OR DELETE ON event_store_redactions
     FOR EACH ROW EXECUTE FUNCTION event_store_guard_append_only()`,
    `CREATE TRIGGER trg_redactions_no_truncate BEFORE TRUNCATE ON event_store_redactions
     FOR EACH STATEMENT EXECUTE FUNCTION event_store_guard_append_only()`,

    EVENT_STORE_REQUIRE_TENANT,
    EVENT_STORE_REDACT,
    EVENT_STORE_PURGE_TENANT,
    EVENT_STORE_READ_ALL_BATCH,
    EVENT_STORE_HEAD_CHECKPOINT,
    EVENT_STORE_SUBJECT_POSITIONS,
    EVENT_STORE_READER_LAG,
    EVENT_STORE_TRANSACTION_HORIZON,

    rewriteBodies(
      REWRITTEN,
      [
        [
          `PERFORM set_config\\('role', 'event_store_system', true\\);`,
          `${REFUSE_ALL_TENANTS} ${MARK}set_config('role', 'event_store_system', true)`,
        ],
        [`PERFORM set_config\\('role', '([a-z0-9_]+)', true\\);`, `NULL; ${MARK}set_config('role', '\\1', true)`],
      ],
      SWITCH_LEFT('v_def'),
    ),
    NO_ROLE_SWITCH_LEFT,
    setOwners(r),
    `REVOKE EXECUTE ON FUNCTION ${[...WRITER_FUNCTIONS, ...READER_FUNCTIONS, ...HELPERS].join(', ')} FROM PUBLIC`,
    `GRANT EXECUTE ON FUNCTION ${HELPERS.join(', ')} TO ${r.writer}, ${r.reader}`,
    `GRANT EXECUTE ON FUNCTION ${[...APPEND_AND_READ, ...READER_FUNCTIONS].join(', ')} TO ${r.runtime}`,
    `GRANT EXECUTE ON FUNCTION event_store_redact(text,bigint[],text,text,text[]) TO ${r.tenant}`,
    `GRANT EXECUTE ON FUNCTION event_store_purge_tenant(text,integer) TO ${r.purge}`,
    `GRANT EXECUTE ON FUNCTION event_store_subject_positions(text,text,integer) TO ${r.tenant}`,
    ...EVENT_STORE_READ_ALL_BATCH_SETTINGS,
  ];
}

function down(r: EventStoreRoles): string[] {
  return [
    ...alterFunctions(APPEND_AND_READ, 'OWNER TO CURRENT_USER'),
    ...alterFunctions(APPEND_AND_READ, 'SECURITY INVOKER RESET search_path'),
    rewriteBodies(
      REWRITTEN,
      [
        [`RAISE EXCEPTION [^;]*; ${MARK}(set_config\\('role', '[a-z0-9_]+', true\\))`, `PERFORM \\1;`],
        [`NULL; ${MARK}(set_config\\('role', '[a-z0-9_]+', true\\))`, `PERFORM \\1;`],
      ],
      `v_def ~ ${dollar(MARK)}`,
    ),
    `GRANT EXECUTE ON FUNCTION ${APPEND_AND_READ.join(', ')} TO PUBLIC`,
    ...[
      ...READER_FUNCTIONS,
      ...HELPERS,
      'event_store_redact(text,bigint[],text,text,text[])',
      'event_store_purge_tenant(text,integer)',
    ].map((f) => `DROP FUNCTION ${f}`),
    `DROP TRIGGER trg_redactions_no_truncate ON event_store_redactions`,
    `DROP TRIGGER trg_redactions_append_only ON event_store_redactions`,
    `DROP TRIGGER trg_events_append_only ON stored_domain_events`,
    // The base migration's guard.
    GUARD_APPEND_ONLY_1763900000000.replace(/^CREATE FUNCTION/, 'CREATE OR REPLACE FUNCTION'),
    `CREATE TRIGGER trg_events_append_only BEFORE UPDATE OR DELETE ON stored_domain_events
     FOR EACH ROW EXECUTE FUNCTION event_store_guard_append_only()`,
    `DROP POLICY cross_tenant_read ON stored_domain_events`,
    `REVOKE ALL ON ${TABLES.join(', ')} FROM ${r.tenant}, ${r.writer}, ${r.reader}`,
    `REVOKE ALL ON event_store_subscriptions, event_store_dead_letters FROM ${r.runtime}`,
    roleBlock(`  IF to_regclass('event_store_migrations') IS NOT NULL THEN
    EXECUTE format('REVOKE ALL ON event_store_migrations FROM %I', '${r.runtime}');
  END IF;`),
    // The base migration's grants and policies.
    `GRANT SELECT, INSERT, DELETE ON stored_domain_events TO event_store_tenant`,
    `GRANT UPDATE (data, metadata, is_redacted, redacted_at) ON stored_domain_events TO event_store_tenant`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON event_store_streams, event_store_snapshots TO event_store_tenant`,
    `GRANT SELECT, INSERT, DELETE ON event_store_redactions TO event_store_tenant`,
    `GRANT SELECT ON ${TABLES.join(', ')} TO event_store_system`,
    ...TABLES.map((t) => `CREATE POLICY system_read ON ${t} FOR SELECT TO event_store_system USING (true)`),
    // The roles are cluster-wide and may serve other databases: they stay.
  ];
}
