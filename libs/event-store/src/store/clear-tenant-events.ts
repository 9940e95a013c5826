import { Queryable } from '../database/event-store-database';

/**
 * event_store_purge_tenant (migration 1764100000600): a SECURITY DEFINER
 * function of the writer role that deletes the events, streams and snapshots
 * of $1, which must be the transaction's tenant. Its EXECUTE is granted only
 * to the purge role: a login that was not granted it cannot purge, whatever
 * the module options say. The redaction log stays (append-only).
 */
const PURGE_TENANT_SQL = `SELECT event_store_purge_tenant($1)::text AS n`;

/** Deletes all of a tenant's events, streams and snapshots; returns the number of events removed. */
export async function purgeTenant(q: Queryable, tenantId: string): Promise<number> {
  const [row] = (await q.query(PURGE_TENANT_SQL, [tenantId])) as { n: string }[];
  return Number(row.n);
}
