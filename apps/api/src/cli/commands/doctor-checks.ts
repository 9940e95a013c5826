import { DataSource } from 'typeorm';
import { EventStoreRoles, HorizonLag } from '@nest-event-store/core';

/** One finding of `doctor`. */
export interface DoctorCheck {
  name: string;
  status: 'ok' | 'warn' | 'fail';
  detail: string;
  /** What to do about a warning or failure. */
  fix?: string;
}

// Executable by PUBLIC on purpose: event_store_read_horizon (run in every reader's
// query, whatever its role) calls it, and it answers one bit about a transaction id
// (migration 1764200000000).
const PUBLIC_BY_DESIGN = ['event_store_transaction_may_hold_events(xid8)'];

const PROTECTED_TABLES = ['stored_domain_events', 'event_store_streams', 'event_store_snapshots', 'event_store_redactions'];

/** Applied migrations against those this code ships (store and app). */
export async function checkSchema(db: DataSource, expected: string[]): Promise<DoctorCheck> {
  const [table] = await db.query(`SELECT to_regclass('event_store_migrations') IS NOT NULL AS present`);
  if (!table.present)
    return {
      name: 'schema',
      status: 'fail',
      detail: 'no event_store_migrations table: the schema was never migrated',
      fix: 'Start the app once (it migrates), or run `npm run migration:run`.',
    };
  const applied: string[] = (await db.query(`SELECT name FROM event_store_migrations ORDER BY id`)).map((r: { name: string }) => r.name);
  const pending = expected.filter((n) => !applied.includes(n));
  const unknown = applied.filter((n) => !expected.includes(n));
  if (pending.length)
    return {
      name: 'schema',
      status: 'fail',
      detail: `${pending.length} migration(s) pending: ${pending.join(', ')}`,
      fix: 'Start the app once (it migrates at startup, as MIGRATIONS_DATABASE_URL where set).',
    };
  if (unknown.length)
    return {
      name: 'schema',
      status: 'warn',
      detail: `the database has migration(s) this code does not know: ${unknown.join(', ')}`,
      fix: 'The database was migrated by a newer version: run that version, or revert those migrations.',
    };
  return { name: 'schema', status: 'ok', detail: `${applied.length} migration(s) applied, latest ${applied[applied.length - 1]}` };
}

/** The store's roles exist, the login is granted the runtime role, and whether the login bypasses the role model. */
export async function checkRoles(db: DataSource, roles: EventStoreRoles): Promise<DoctorCheck> {
  const names = [roles.tenant, roles.writer, roles.reader, roles.runtime, roles.purge];
  const existing: string[] = (await db.query(`SELECT rolname FROM pg_roles WHERE rolname = ANY ($1)`, [names])).map(
    (r: { rolname: string }) => r.rolname,
  );
  const missing = names.filter((n) => !existing.includes(n));
  if (missing.length)
    return {
      name: 'roles',
      status: 'fail',
      detail: `missing role(s): ${missing.join(', ')}`,
      fix: 'Run the migrations as the schema owner (MIGRATIONS_DATABASE_URL).',
    };
  const [login] = await db.query(
    `SELECT session_user AS login, r.rolsuper OR r.rolbypassrls AS privileged, pg_has_role(session_user, $1, 'MEMBER') AS runtime
       FROM pg_roles r WHERE r.rolname = session_user`,
    [roles.runtime],
  );
  if (!login.runtime)
    return {
      name: 'roles',
      status: 'fail',
      detail: `login ${login.login} is not granted ${roles.runtime}`,
      fix: `GRANT ${roles.runtime} TO ${login.login};`,
    };
  if (login.privileged)
    return {
      name: 'roles',
      status: 'warn',
      detail: `login ${login.login} is a superuser or bypasses row-level security (fine for development)`,
      fix: `In production connect as a plain login granted ${roles.runtime} (README, "Production roles").`,
    };
  return {
    name: 'roles',
    status: 'ok',
    detail: `roles present; login ${login.login} is granted ${roles.runtime} and nothing more privileged`,
  };
}

/** The store's SECURITY DEFINER functions belong to its writer/reader roles and are not executable by PUBLIC; the runtime role cannot rewrite events. */
export async function checkGrants(db: DataSource, roles: EventStoreRoles): Promise<DoctorCheck> {
  const functions: { fn: string; owner: string; public_exec: boolean }[] = await db.query(
    `SELECT p.oid::regprocedure::text AS fn, pg_get_userbyid(p.proowner) AS owner,
            p.proacl IS NULL OR EXISTS (SELECT 1 FROM aclexplode(p.proacl) a WHERE a.grantee = 0 AND a.privilege_type = 'EXECUTE') AS public_exec
       FROM pg_proc p
      WHERE p.pronamespace = current_schema()::regnamespace AND p.proname LIKE 'event\\_store\\_%' AND p.prosecdef`,
  );
  const problems = [
    ...functions.filter((f) => f.owner !== roles.writer && f.owner !== roles.reader).map((f) => `${f.fn} is owned by ${f.owner}`),
    ...functions.filter((f) => f.public_exec && !PUBLIC_BY_DESIGN.includes(f.fn)).map((f) => `${f.fn} is executable by PUBLIC`),
  ];
  const [runtime] = await db.query(
    `SELECT has_table_privilege($1, 'stored_domain_events', 'UPDATE') OR has_table_privilege($1, 'stored_domain_events', 'DELETE') AS rewrites,
            has_function_privilege($1, 'event_store_append(text,jsonb,jsonb,boolean)', 'EXECUTE') AS appends`,
    [roles.runtime],
  );
  if (runtime.rewrites) problems.push(`${roles.runtime} may UPDATE or DELETE stored_domain_events`);
  if (!runtime.appends) problems.push(`${roles.runtime} may not execute event_store_append`);
  if (functions.length === 0) problems.push('no SECURITY DEFINER functions of the store: the least-privilege migration has not run');
  if (problems.length)
    return {
      name: 'grants',
      status: 'fail',
      detail: problems.join('; '),
      fix: 'Re-run the store migrations as the schema owner; do not grant on the store objects by hand (decision 0003).',
    };
  return {
    name: 'grants',
    status: 'ok',
    detail: `${functions.length} store functions owned by ${roles.writer}/${roles.reader}, none executable by PUBLIC but by design; events not rewritable by ${roles.runtime}`,
  };
}

/** Row-level security is enabled and forced on every tenant table. */
export async function checkRowLevelSecurity(db: DataSource): Promise<DoctorCheck> {
  const rows: { relname: string; enabled: boolean; forced: boolean }[] = await db.query(
    `SELECT c.relname, c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced
       FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace AND c.relname = ANY ($1)`,
    [PROTECTED_TABLES],
  );
  const weak = PROTECTED_TABLES.filter((t) => !rows.some((r) => r.relname === t && r.enabled && r.forced));
  if (weak.length)
    return {
      name: 'rls',
      status: 'fail',
      detail: `row-level security not enabled and forced on: ${weak.join(', ')}`,
      fix: weak.map((t) => `ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;`).join(' '),
    };
  return { name: 'rls', status: 'ok', detail: `enabled and forced on ${PROTECTED_TABLES.length} tables` };
}

/** Stored transaction ids are below the server's (a dump restored into a younger cluster breaks gap-safe reading). */
export async function checkTransactionHorizon(db: DataSource): Promise<DoctorCheck> {
  const [row] = await db.query(`SELECT max_stored, next_xid, ahead FROM event_store_transaction_horizon()`);
  if (row.ahead)
    return {
      name: 'transaction-horizon',
      status: 'fail',
      detail: `stored events carry transaction id ${row.max_stored}, the server's next is ${row.next_xid}`,
      fix: "Restore with pg_upgrade or a physical backup, or advance the cluster's transaction ids past the stored ones, before starting the app.",
    };
  return {
    name: 'transaction-horizon',
    status: 'ok',
    detail: `stored transaction ids (max ${row.max_stored ?? 'none'}) are below the server's next (${row.next_xid})`,
  };
}

/** The transaction holding readers of the global order back, and other long transactions of this database. */
export async function checkStuckTransactions(db: DataSource, lag: HorizonLag): Promise<DoctorCheck> {
  const others: { pid: number; age: number; state: string | null; application_name: string }[] = await db.query(
    `SELECT pid, extract(epoch FROM clock_timestamp() - xact_start)::float8 AS age, state, application_name
       FROM pg_stat_activity
      WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start IS NOT NULL
        AND (backend_xid IS NOT NULL OR backend_xmin IS NOT NULL) AND clock_timestamp() - xact_start > $1 * interval '1 second'
      ORDER BY xact_start`,
    [lag.thresholdSeconds],
  );
  const describe = (pid: number | null, age: number, exact: boolean, what: string | null) =>
    `pid ${pid ?? '?'} open for ${exact ? '' : 'at least '}${Math.round(age)}s${what ? ` (${what})` : ''}`;
  const fix = (pid: number | null) =>
    `Commit or roll back that transaction, or end it: SELECT pg_terminate_backend(${pid ?? '<pid>'}); long transactions stall every reader of the log (decision 0004).`;
  if (lag.holder && lag.stalled) {
    const h = lag.holder;
    return {
      name: 'stuck-transactions',
      status: 'fail',
      detail: `readers are held back by transaction ${h.transactionId}: ${describe(h.pid, h.ageSeconds, h.ageExact, h.applicationName || h.state)}`,
      fix: fix(h.pid),
    };
  }
  if (others.length)
    return {
      name: 'stuck-transactions',
      status: 'warn',
      detail: `long transaction(s): ${others.map((o) => describe(o.pid, o.age, true, o.application_name || o.state)).join('; ')}`,
      fix: fix(others[0].pid),
    };
  const holding = lag.holder
    ? `; transaction ${lag.holder.transactionId} holds readers back for ${Math.round(lag.lagSeconds)}s (under ${lag.thresholdSeconds}s)`
    : '';
  return { name: 'stuck-transactions', status: 'ok', detail: `no transaction open longer than ${lag.thresholdSeconds}s${holding}` };
}
