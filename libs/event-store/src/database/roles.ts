import { EVENT_STORE_DEFAULTS } from '../event-store.defaults';

/**
 * The NOLOGIN roles of one installation (docs/decisions/0003). Their names
 * share a prefix (module option `rolePrefix`) so that two applications can
 * keep separate roles in one cluster.
 */
export interface EventStoreRoles {
  /**
   * Tenant units of work run under it (`set_config('role', …, true)`, so that
   * row-level security binds even a superuser connection): reads its tenant's
   * rows, writes snapshots, calls the redaction function. Nothing else.
   */
  tenant: string;
  /**
   * Owns the functions that write (appends, redaction, purge). No login is
   * granted it; bound by row-level security like the tenant role.
   */
  writer: string;
  /** Owns the cross-tenant read functions (global replay, lag, horizon); the only role with a cross-tenant policy. */
  reader: string;
  /** What the application's login is granted: the tenant role, EXECUTE on the store's functions, the subscription tables. */
  runtime: string;
  /** EXECUTE on the tenant purge; granted by a DBA only where `clearTenantEvents` is wanted. */
  purge: string;
}

// Role names end up in DDL (CREATE ROLE, GRANT, ALTER … OWNER TO), which
// takes no parameters: only plain lower-case identifiers are accepted, and
// the longest suffix keeps them under PostgreSQL's 63 characters.
export const ROLE_PREFIX_PATTERN = /^[a-z_][a-z0-9_]{0,40}$/;

/**
 * Returns the prefix when it can name roles.
 * @throws Error when it is not a lower-case identifier of at most 41 characters
 */
export function checkRolePrefix(prefix: string): string {
  if (typeof prefix !== 'string' || !ROLE_PREFIX_PATTERN.test(prefix)) {
    throw new Error(
      `EventStoreModule option rolePrefix must match ${ROLE_PREFIX_PATTERN.source} (a lower-case SQL identifier), got ${JSON.stringify(prefix)}`,
    );
  }
  return prefix;
}

/**
 * The role names for a prefix.
 * @throws Error when the prefix is not a lower-case identifier of at most 41 characters
 */
export function eventStoreRoles(prefix: string = EVENT_STORE_DEFAULTS.rolePrefix): EventStoreRoles {
  checkRolePrefix(prefix);
  return {
    tenant: `${prefix}_tenant`,
    writer: `${prefix}_writer`,
    reader: `${prefix}_reader`,
    runtime: `${prefix}_runtime`,
    purge: `${prefix}_purge`,
  };
}
