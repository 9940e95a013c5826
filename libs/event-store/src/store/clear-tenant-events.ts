import { Queryable } from '../database/event-store-database';

// Every table with tenant data; tenant_id leads each predicate, so the purge
// cannot reach another tenant even before row-level security does.
const PURGE_SQL = [
  `DELETE FROM event_store_snapshots WHERE tenant_id = $1`,
  `DELETE FROM event_store_redactions WHERE tenant_id = $1`,
  `DELETE FROM event_store_streams WHERE tenant_id = $1`,
];
const PURGE_EVENTS_SQL = `WITH gone AS (DELETE FROM stored_domain_events WHERE tenant_id = $1 RETURNING 1) SELECT count(*)::bigint AS n FROM gone`;

/** Deletes all of a tenant's data (purge switch on); returns the number of events removed. */
export async function purgeTenant(q: Queryable, tenantId: string): Promise<number> {
  const [row] = (await q.query(PURGE_EVENTS_SQL, [tenantId])) as { n: string }[];
  for (const sql of PURGE_SQL) await q.query(sql, [tenantId]);
  return Number(row.n);
}
