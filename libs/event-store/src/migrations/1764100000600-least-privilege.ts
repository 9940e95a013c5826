import { MigrationInterface, QueryRunner } from 'typeorm';
import { EventStoreRoles, eventStoreRoles } from '../database/roles';

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

// Marks a removed role switch so that down() can put it back.
const MARK = '-- removed by LeastPrivilege1764100000600: ';
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

const EVENT_TABLE_COLUMNS = `global_position bigint, event_id uuid, tenant_id text, aggregate_type text, aggregate_id text,
     aggregate_version integer, event_type text, event_version integer, occurred_at timestamptz, stored_at timestamptz,
     data jsonb, metadata jsonb, transaction_id xid8, is_redacted boolean, redacted_at timestamptz`;

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

    // Only the writer (the store's functions) may rewrite, and a rewrite is a
    // redaction: payload columns only, marking a not yet redacted event.
    `CREATE OR REPLACE FUNCTION event_store_guard_append_only() RETURNS trigger
     LANGUAGE plpgsql AS $$
     BEGIN
       IF TG_NARGS = 1 AND current_user = TG_ARGV[0]::name THEN
         IF TG_OP = 'DELETE' THEN
           RETURN OLD;
         ELSIF TG_OP = 'UPDATE' THEN
           IF (to_jsonb(NEW) - 'data' - 'metadata' - 'is_redacted' - 'redacted_at')
              IS DISTINCT FROM (to_jsonb(OLD) - 'data' - 'metadata' - 'is_redacted' - 'redacted_at') THEN
             RAISE EXCEPTION 'redaction may only change data, metadata, is_redacted and redacted_at' USING ERRCODE = 'ESAPO';
           END IF;
           IF OLD.is_redacted OR NOT NEW.is_redacted THEN
             RAISE EXCEPTION 'a rewrite must redact an event not yet redacted' USING ERRCODE = 'ESAPO';
           END IF;
           RETURN NEW;
         END IF;
       END IF;
       RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
         USING ERRCODE = 'ESAPO',
               HINT = 'Use redactEvent / eraseSubject for GDPR redaction or clearTenantEvents for an enabled purge.';
     END $$`,
    `DROP TRIGGER trg_events_append_only ON stored_domain_events`,
    `CREATE TRIGGER trg_events_append_only BEFORE UPDATE OR DELETE ON stored_domain_events
     FOR EACH ROW EXECUTE FUNCTION event_store_guard_append_only('${r.writer}')`,
    `CREATE TRIGGER trg_redactions_append_only BEFORE UPDATE OR DELETE ON event_store_redactions
     FOR EACH ROW EXECUTE FUNCTION event_store_guard_append_only()`,
    `CREATE TRIGGER trg_redactions_no_truncate BEFORE TRUNCATE ON event_store_redactions
     FOR EACH STATEMENT EXECUTE FUNCTION event_store_guard_append_only()`,

    // A rewrite names its tenant, and it must be the transaction's: a call
    // outside a tenant context, or for another tenant, is refused.
    `CREATE FUNCTION event_store_require_tenant(p_tenant_id text) RETURNS void
     LANGUAGE plpgsql AS $$
     BEGIN
       IF coalesce(p_tenant_id, '') = '' OR p_tenant_id IS DISTINCT FROM current_setting('app.tenant_id', true) THEN
         RAISE EXCEPTION 'tenant % is not the tenant of this transaction', p_tenant_id USING ERRCODE = '42501';
       END IF;
     END $$`,

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
    `CREATE FUNCTION event_store_redact(p_tenant_id text, p_positions bigint[], p_reason text, p_requested_by text, p_allow_list text[])
     RETURNS TABLE (${EVENT_TABLE_COLUMNS}, removed_metadata_keys text[])
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
     END $$`,

    // Tenant purge (clearTenantEvents), one chunk: at most p_limit events of
    // the transaction's tenant, oldest first (ix_events_tenant_position); once
    // fewer remain, also its streams and snapshots. Chunks keep each purge
    // transaction short: every transaction of this database holds readers of
    // the global order back while it runs (decision 0004). The redaction log
    // stays: it is append-only.
    `CREATE FUNCTION event_store_purge_tenant(p_tenant_id text, p_limit integer) RETURNS bigint
     LANGUAGE plpgsql AS $$
     DECLARE
       v_events bigint;
     BEGIN
       PERFORM event_store_require_tenant(p_tenant_id);
       WITH gone AS (
         DELETE FROM stored_domain_events
          WHERE tenant_id = p_tenant_id
            AND global_position IN (SELECT global_position FROM stored_domain_events
                                     WHERE tenant_id = p_tenant_id ORDER BY global_position LIMIT p_limit)
         RETURNING 1)
       SELECT count(*) INTO v_events FROM gone;
       IF v_events < p_limit THEN
         DELETE FROM event_store_snapshots WHERE tenant_id = p_tenant_id;
         DELETE FROM event_store_streams WHERE tenant_id = p_tenant_id;
       END IF;
       RETURN v_events;
     END $$`,

    // Cross-tenant reads, owned by the reader role (its policy is the only
    // cross-tenant one). Same gap-safe order as event_store_read_batch.
    `CREATE FUNCTION event_store_read_all_batch(p_after_xid xid8, p_after_position bigint, p_limit integer, p_event_types text[])
     RETURNS SETOF stored_domain_events
     LANGUAGE plpgsql AS $$
     BEGIN
       RETURN QUERY EXECUTE
         'SELECT e.* FROM stored_domain_events e
           WHERE (e.transaction_id, e.global_position) > ($1, $2)
             AND e.transaction_id < (SELECT event_store_read_horizon())'
         || CASE WHEN p_event_types IS NULL THEN '' ELSE ' AND e.event_type = ANY ($4)' END
         || ' ORDER BY e.transaction_id, e.global_position LIMIT $3'
         USING p_after_xid, p_after_position, p_limit, p_event_types;
     END $$`,
    // Where a subscription that starts 'now' begins (ix_events_tx_order, backwards).
    `CREATE FUNCTION event_store_head_checkpoint() RETURNS TABLE (xid text, "position" text)
     LANGUAGE sql STABLE AS $$
       SELECT transaction_id::text, global_position::text FROM stored_domain_events
        WHERE transaction_id < (SELECT event_store_read_horizon())
        ORDER BY transaction_id DESC, global_position DESC LIMIT 1
     $$`,
    // The next not yet redacted events of a data subject in the transaction's
    // tenant, oldest first (eraseSubject). Owned by the reader: under the
    // tenant's row-level security the non-leakproof @> could not be an index
    // condition, and the lookup would scan the tenant's log. The key is
    // tenant-qualified (tenant || chr(31) || subject), and the tenant is
    // checked again outside the MATERIALIZED CTE, whose fence keeps
    // tenant_id = … from becoming a condition on a tenant index: only
    // ix_events_subject_keys can serve it, whatever the statistics (0013).
    `CREATE FUNCTION event_store_subject_positions(p_key text, p_tenant_id text, p_limit integer) RETURNS SETOF bigint
     LANGUAGE plpgsql STABLE AS $$
     BEGIN
       PERFORM event_store_require_tenant(p_tenant_id);
       RETURN QUERY
       WITH hits AS MATERIALIZED (
         SELECT x.global_position, x.tenant_id FROM stored_domain_events x
          WHERE event_store_subject_keys(x.tenant_id, x.metadata) @> ARRAY[p_key] AND NOT x.is_redacted
       )
       SELECT h.global_position FROM hits h WHERE h.tenant_id = p_tenant_id ORDER BY h.global_position LIMIT p_limit;
     END $$`,
    // Events beyond a checkpoint (optionally one tenant / some types) and the head position.
    `CREATE FUNCTION event_store_reader_lag(p_after_xid xid8, p_after_position bigint, p_tenant_id text, p_event_types text[])
     RETURNS TABLE (behind text, head text)
     LANGUAGE sql STABLE AS $$
       SELECT (SELECT count(*) FROM stored_domain_events
                WHERE (transaction_id, global_position) > (p_after_xid, p_after_position)
                  AND (p_tenant_id IS NULL OR tenant_id = p_tenant_id)
                  AND (p_event_types IS NULL OR event_type = ANY (p_event_types)))::text,
              (SELECT coalesce(max(global_position), 0) FROM stored_domain_events)::text
     $$`,
    // The startup check of decision 0004 (ix_events_tx_order, max of its leading column).
    `CREATE FUNCTION event_store_transaction_horizon() RETURNS TABLE (max_stored text, next_xid text, ahead boolean)
     LANGUAGE sql STABLE AS $$
       SELECT max(transaction_id)::text, pg_snapshot_xmax(pg_current_snapshot())::text,
              coalesce(max(transaction_id) >= pg_snapshot_xmax(pg_current_snapshot()), false)
         FROM stored_domain_events
     $$`,

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
    // The cross-tenant batch reads the global order like event_store_read_batch,
    // with its planner settings (PlansWithoutStatistics1764100000300, decision 0014).
    `ALTER FUNCTION event_store_read_all_batch(xid8,bigint,integer,text[]) SET enable_sort = off`,
    `ALTER FUNCTION event_store_read_all_batch(xid8,bigint,integer,text[]) SET random_page_cost = 1`,
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
    `CREATE OR REPLACE FUNCTION event_store_guard_append_only() RETURNS trigger
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
