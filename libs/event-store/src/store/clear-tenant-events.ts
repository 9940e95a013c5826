import { EventStoreDatabase } from '../database/event-store-database';
import { OperationNotAllowedError } from '../errors/operation-not-allowed.error';

/**
 * Events deleted per purge transaction. Every transaction of this database
 * holds readers of the global order back until it ends (decision 0004), so a
 * purge commits chunk by chunk instead of holding one transaction for the
 * whole tenant: other tenants' subscribers wait at most for one chunk.
 */
export const PURGE_CHUNK_EVENTS = 1000;

/**
 * event_store_purge_tenant (sql/event-store-purge-tenant.sql.ts): a SECURITY DEFINER
 * function of the writer role that deletes at most $2 of the events of $1,
 * oldest first, and once fewer remain also its streams and snapshots; $1
 * must be the transaction's tenant. Its EXECUTE is granted only to the purge
 * role: a login that was not granted it cannot purge, whatever the module
 * options say. The redaction log stays (append-only).
 */
const PURGE_TENANT_CHUNK_SQL = `SELECT event_store_purge_tenant($1, $2)::text AS n`;

/**
 * Deletes all of a tenant's events, streams and snapshots in transactions of
 * at most `chunk` events, under the login's own privileges (the purge role).
 * Interrupted, it leaves fewer events of that tenant and nothing of any
 * other; calling it again finishes the job.
 * @returns the number of events removed
 */
export async function purgeTenant(database: EventStoreDatabase, tenantId: string, chunk = PURGE_CHUNK_EVENTS): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await database.runInTenantAsLogin(
      tenantId,
      async (q) => Number(((await q.query(PURGE_TENANT_CHUNK_SQL, [tenantId, chunk])) as { n: string }[])[0].n),
      'clearTenantEvents',
    );
    total += deleted;
    if (deleted < chunk) return total;
  }
}

/**
 * clearTenantEvents: the purge, when the module allows it and the login may run it.
 * @returns how many events were deleted
 * @throws OperationNotAllowedError without `allowTenantPurge`, or when the login lacks the purge role
 */
export async function clearTenant(database: EventStoreDatabase, tenantId: string): Promise<number> {
  if (!database.options.allowTenantPurge) {
    throw new OperationNotAllowedError(
      'clearTenantEvents',
      'set allowTenantPurge: true in EventStoreModule options (meant for tests and tenant off-boarding)',
    );
  }
  try {
    return await purgeTenant(database, tenantId);
  } catch (error) {
    if ((error as { driverError?: { code?: string } }).driverError?.code === '42501') {
      throw new OperationNotAllowedError(
        'clearTenantEvents',
        `the database login needs the role ${database.roles.purge} (GRANT ${database.roles.purge} TO <login>)`,
      );
    }
    throw error;
  }
}
