import { DatabaseStartupError, DatabaseTarget } from '../errors/database-startup.error';
import { eventStoreRoles } from './roles';

// The default installation's roles; with a rolePrefix the names change the same way.
const ROLES = eventStoreRoles();
const ROLE_NAMES = [
  ...new Set(['event_store_tenant', 'event_store_system', ROLES.tenant, ROLES.writer, ROLES.reader, ROLES.runtime, ROLES.purge]),
].join(', ');

interface StartupDriverError {
  code?: string;
  message?: string;
  errors?: { code?: string }[];
  driverError?: StartupDriverError;
}

// Refused, unknown host, timed out, no route, or the server still starting up.
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', '57P03']);

/**
 * Turns the errors an operator meets on a first start against a server
 * (unreachable server, missing database, failed login, no CREATEROLE) into a
 * DatabaseStartupError that names host and database and says what to do.
 * @returns undefined for any other error, or when there is no `databaseUrl` (embedded)
 */
export function explainStartupError(error: unknown, databaseUrl: string | undefined): DatabaseStartupError | undefined {
  if (!databaseUrl) return undefined;
  const outer = error as StartupDriverError;
  const driverError = outer?.driverError ?? outer ?? {};
  const code = driverError.code ?? driverError.errors?.[0]?.code;
  const target = targetOf(databaseUrl);
  const { host, port, database, user } = target;
  if (code && UNREACHABLE_CODES.has(code)) {
    return new DatabaseStartupError(
      'DATABASE_UNREACHABLE',
      target,
      `Check that PostgreSQL is running there and that databaseUrl's host and port are right (${code}). Leave databaseUrl unset to use the embedded database instead.`,
      error,
    );
  }
  if (code === '3D000') {
    return new DatabaseStartupError(
      'DATABASE_NOT_FOUND',
      target,
      `Create it first (createdb -h ${host} -p ${port} -U ${user} ${database}), or point databaseUrl at an existing database.`,
      error,
    );
  }
  if (code === '28P01' || code === '28000') {
    return new DatabaseStartupError(
      'DATABASE_LOGIN_FAILED',
      target,
      `Check the user and password in databaseUrl, and that pg_hba.conf lets '${user}' connect to '${database}' (${driverError.message ?? code}).`,
      error,
    );
  }
  if (code === '42501' && /role/i.test(driverError.message ?? '')) {
    return new DatabaseStartupError(
      'DATABASE_PERMISSION_DENIED',
      target,
      `The store's migrations create NOLOGIN roles (${ROLE_NAMES}) and make the migrating login a member, which needs CREATEROLE once: ` +
        `ALTER ROLE ${user} CREATEROLE; or have a DBA create the roles beforehand (README, "Production roles"); then start again (${driverError.message ?? code}).`,
      error,
    );
  }
  return undefined;
}

/** Host, port, database and user of a postgres:// URL, with pg's defaults; never the password. */
export function targetOf(databaseUrl: string): DatabaseTarget {
  const url = new URL(databaseUrl);
  const user = decodeURIComponent(url.username) || process.env.PGUSER || process.env.USER || 'postgres';
  return {
    host: decodeURIComponent(url.hostname) || url.searchParams.get('host') || 'localhost',
    port: Number(url.port || 5432),
    database: decodeURIComponent(url.pathname.replace(/^\//, '')) || user,
    user,
  };
}
