import { EventStoreDatabase, Queryable } from '../database/event-store-database';

/**
 * Events deleted per purge transaction. Every transaction of this database
 * holds readers of the global order back until it ends (decision 0004), so a
 * purge commits chunk by chunk instead of holding one transaction for the
 * whole tenant: other tenants' subscribers wait at most for one chunk.
 */
export const PURGE_CHUNK_EVENTS = 1000;

// Every table with tenant data; tenant_id leads each predicate, so the purge
// cannot reach another tenant even before row-level security does.
const PURGE_SQL = [
  `DELETE FROM event_store_snapshots WHERE tenant_id = $1`,
  `DELETE FROM event_store_redactions WHERE tenant_id = $1`,
  `DELETE FROM event_store_streams WHERE tenant_id = $1`,
];
// One chunk of the tenant's events, oldest first (ix_events_tenant_position).
const PURGE_EVENTS_CHUNK_SQL = `
  WITH gone AS (
    DELETE FROM stored_domain_events
     WHERE tenant_id = $1
       AND global_position IN (SELECT global_position FROM stored_domain_events WHERE tenant_id = $1 ORDER BY global_position LIMIT $2)
    RETURNING 1)
  SELECT count(*)::bigint AS n FROM gone`;

/**
 * Deletes one chunk of a tenant's events (purge switch on); once a chunk
 * comes back short, also its streams, snapshots and redaction records, in the
 * same transaction. Returns the events removed and whether the purge is done.
 */
export async function purgeTenantChunk(q: Queryable, tenantId: string, chunk: number): Promise<{ deleted: number; done: boolean }> {
  const [row] = (await q.query(PURGE_EVENTS_CHUNK_SQL, [tenantId, chunk])) as { n: string }[];
  const deleted = Number(row.n);
  if (deleted === chunk) return { deleted, done: false };
  for (const sql of PURGE_SQL) await q.query(sql, [tenantId]);
  return { deleted, done: true };
}

/**
 * Deletes all of a tenant's data in transactions of at most `chunk` events.
 * Interrupted, it leaves fewer events of that tenant and nothing of any other;
 * calling it again finishes the job.
 */
export async function purgeTenant(database: EventStoreDatabase, tenantId: string, chunk = PURGE_CHUNK_EVENTS): Promise<number> {
  let total = 0;
  for (;;) {
    const { deleted, done } = await database.runInTenant(tenantId, (q) => purgeTenantChunk(q, tenantId, chunk), 'clearTenantEvents', ['event_store.purge']);
    total += deleted;
    if (done) return total;
  }
}
