import { Queryable } from '../../database/queryable';

/**
 * What the migrations leave in the catalog of the store's schema, as plain
 * rows: relations with their owners, ACLs and options, columns, indexes,
 * constraints, triggers, functions (full definition, SET options, owner,
 * ACL), policies, the schema's ACL and the memberships among the store's
 * roles and the migrating login. Names only, no oids, so that two databases
 * compare equal when their schemas are.
 */
export type CatalogSnapshot = Record<string, Record<string, unknown>[]>;

// The current schema of the migrating connection; every query is scoped to it.
const IN_SCHEMA = `= current_schema()::regnamespace`;

const QUERIES: Record<string, string> = {
  relations: `
    SELECT c.relname AS name, c.relkind::text AS kind, pg_get_userbyid(c.relowner) AS owner, c.relacl::text AS acl,
           c.relrowsecurity AS rls, c.relforcerowsecurity AS force_rls, c.reloptions::text AS options
      FROM pg_class c WHERE c.relnamespace ${IN_SCHEMA} AND c.relkind <> 'i' ORDER BY 1`,
  columns: `
    SELECT c.relname AS relation, a.attnum AS num, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
           a.attnotnull AS not_null, pg_get_expr(d.adbin, d.adrelid) AS "default", a.attidentity::text AS identity,
           a.attgenerated::text AS generated, a.attstattarget::text AS statistics, a.attacl::text AS acl
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     WHERE c.relnamespace ${IN_SCHEMA} AND c.relkind IN ('r', 'p', 'v', 'm') AND a.attnum > 0 AND NOT a.attisdropped
     ORDER BY 1, 2`,
  indexes: `
    SELECT i.indexrelid::regclass::text AS name, i.indrelid::regclass::text AS relation, pg_get_indexdef(i.indexrelid) AS definition
      FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relnamespace ${IN_SCHEMA} ORDER BY 1`,
  constraints: `
    SELECT c.conrelid::regclass::text AS relation, c.conname AS name, c.contype::text AS kind, pg_get_constraintdef(c.oid) AS definition
      FROM pg_constraint c WHERE c.connamespace ${IN_SCHEMA} ORDER BY 1, 2`,
  triggers: `
    SELECT t.tgrelid::regclass::text AS relation, t.tgname AS name, pg_get_triggerdef(t.oid) AS definition, t.tgenabled::text AS enabled
      FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
     WHERE c.relnamespace ${IN_SCHEMA} AND NOT t.tgisinternal ORDER BY 1, 2`,
  functions: `
    SELECT p.oid::regprocedure::text AS signature, pg_get_userbyid(p.proowner) AS owner, p.proacl::text AS acl,
           p.prosecdef AS security_definer, p.proconfig::text AS config, p.provolatile::text AS volatility,
           pg_get_functiondef(p.oid) AS definition
      FROM pg_proc p WHERE p.pronamespace ${IN_SCHEMA} ORDER BY 1`,
  policies: `
    SELECT p.tablename AS relation, p.policyname AS name, p.permissive, p.roles::text AS roles, p.cmd, p.qual, p.with_check
      FROM pg_policies p WHERE p.schemaname = current_schema() ORDER BY 1, 2`,
  schema: `SELECT n.nspname AS name, n.nspacl::text AS acl FROM pg_namespace n WHERE n.oid ${IN_SCHEMA}`,
  memberships: `
    SELECT r.rolname AS role, m.rolname AS member, a.admin_option
      FROM pg_auth_members a JOIN pg_roles r ON r.oid = a.roleid JOIN pg_roles m ON m.oid = a.member
     WHERE r.rolname = ANY ($1) AND (m.rolname = ANY ($1) OR m.rolname = current_user)
     ORDER BY 1, 2`,
};

const DEFAULT_ROLES = ['tenant', 'system', 'writer', 'reader', 'runtime', 'purge'].map((suffix) => `event_store_${suffix}`);

/** Reads the catalog of the connection's current schema (default role names). */
export async function catalogSnapshot(q: Queryable): Promise<CatalogSnapshot> {
  const snapshot: CatalogSnapshot = {};
  for (const [name, sql] of Object.entries(QUERIES)) {
    snapshot[name] = await q.query(sql, name === 'memberships' ? [DEFAULT_ROLES] : []);
  }
  return snapshot;
}
