import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { EventStoreRoles, eventStoreRoles } from '../database/roles';
import { TEST_SERVER_URL } from './test-database';

/** A database set up the way README "Production roles" recommends, with roles unique to this run. */
export interface ProductionRolesDatabase {
  rolePrefix: string;
  roles: EventStoreRoles;
  /** The login that owns the database and runs the migrations. */
  ownerUrl: string;
  /** The application's login: a member of the runtime group role only. */
  runtimeUrl: string;
  runtimeLogin: string;
  /** `GRANT <prefix>_purge TO <runtime login>`, as a DBA enabling clearTenantEvents. */
  grantPurgeToRuntime(): Promise<void>;
  /** Drops the database, then every role made for it. */
  drop(): Promise<void>;
}

// What the DBA does once (README "Production roles"), as the server's admin.
// Names are generated below, never input. The migrating owner is given the
// memberships the migrations would otherwise grant themselves, so that it
// needs no CREATEROLE; the base migration's roles are shared with other runs
// and only granted, never altered.
const dbaScript = (r: EventStoreRoles, owner: string, runtime: string, database: string): string[] => [
  ...[r.tenant, r.writer, r.reader, r.runtime, r.purge].map((role) => `CREATE ROLE ${role} NOLOGIN NOBYPASSRLS`),
  `CREATE ROLE ${owner} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS`,
  `CREATE ROLE ${runtime} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS`,
  `GRANT ${r.tenant} TO ${r.runtime}`,
  `GRANT ${r.writer}, ${r.reader}, ${r.runtime}, ${r.purge} TO ${owner}`,
  `GRANT event_store_tenant, event_store_system TO ${owner}`,
  `GRANT ${r.runtime} TO ${runtime}`,
  `CREATE DATABASE ${database} OWNER ${owner}`,
];

/**
 * Creates an owner login, a runtime login and the store's NOLOGIN roles under
 * a fresh prefix, and a database owned by the owner login. Roles are
 * cluster-wide: the prefix keeps concurrent test runs apart.
 */
export async function createProductionRolesDatabase(): Promise<ProductionRolesDatabase> {
  const rolePrefix = `es_priv_${randomBytes(5).toString('hex')}`;
  const roles = eventStoreRoles(rolePrefix);
  const owner = `${rolePrefix}_owner`;
  const runtimeLogin = `${rolePrefix}_app`;
  const database = `${rolePrefix}_db`;
  await asAdmin(dbaScript(roles, owner, runtimeLogin, database));
  const urlFor = (user: string) => {
    const url = new URL(TEST_SERVER_URL);
    url.username = user;
    url.password = '';
    url.pathname = `/${database}`;
    return url.toString();
  };
  return {
    rolePrefix,
    roles,
    ownerUrl: urlFor(owner),
    runtimeUrl: urlFor(runtimeLogin),
    runtimeLogin,
    grantPurgeToRuntime: () => asAdmin([`GRANT ${roles.purge} TO ${runtimeLogin}`]),
    drop: () =>
      asAdmin([
        `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`,
        ...[runtimeLogin, owner, roles.tenant, roles.writer, roles.reader, roles.runtime, roles.purge].map(
          (role) => `DROP ROLE IF EXISTS ${role}`,
        ),
      ]),
  };
}

async function asAdmin(statements: string[]): Promise<void> {
  const admin = new Client({ connectionString: TEST_SERVER_URL });
  await admin.connect();
  try {
    for (const sql of statements) await admin.query(sql);
  } finally {
    await admin.end();
  }
}
