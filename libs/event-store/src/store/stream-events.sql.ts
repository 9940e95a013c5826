import { EVENT_COLUMNS } from './event-row';

/**
 * One batch of the gap-safe global order. Only rows whose transaction is below
 * the oldest transaction still running are read: a transaction that took
 * positions earlier but commits later is waited for instead of skipped, and
 * the (transaction_id, global_position) checkpoint never passes it.
 * Served by ix_events_tx_order (all tenants) / ix_events_tenant_tx_order.
 */
export function buildStreamBatchQuery(tenantId: string | undefined, eventTypes: string[] | undefined): string {
  const conditions = [
    '(transaction_id, global_position) > ($1::xid8, $2::bigint)',
    'transaction_id < pg_snapshot_xmin(pg_current_snapshot())',
  ];
  if (tenantId !== undefined) conditions.push('tenant_id = $4');
  if (eventTypes?.length) conditions.push(`event_type = ANY($${tenantId !== undefined ? 5 : 4}::text[])`);
  return `SELECT ${EVENT_COLUMNS} FROM stored_domain_events WHERE ${conditions.join(' AND ')}
           ORDER BY transaction_id, global_position LIMIT $3`;
}
