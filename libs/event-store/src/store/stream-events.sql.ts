import { EVENT_COLUMNS } from './event-row';

/**
 * One batch of the gap-safe global order, in one round trip: reads only rows
 * whose transaction is below the oldest transaction that can still commit
 * events into this database (event_store_read_horizon, decision 0004), so a
 * transaction that took positions earlier but commits later is waited for
 * instead of skipped, and the (transaction_id, global_position) checkpoint
 * never passes it. Parameters: after transaction id, after position, limit,
 * event types or NULL.
 *
 * One tenant: event_store_read_batch (tenant $5; the function sets the
 * transaction's tenant, row-level security backs its filter), served by
 * ix_events_tenant_tx_order. The function: sql/event-store-read-batch.sql.ts.
 */
export const STREAM_BATCH_SQL = `SELECT * FROM event_store_read_batch($5, $1::xid8, $2::bigint, $3, $4::text[])`;

/**
 * Every tenant: event_store_read_all_batch, a function of the reader role and
 * the only cross-tenant read (decision 0003), served by ix_events_tx_order
 * (sql/event-store-read-all-batch.sql.ts).
 */
export const STREAM_ALL_BATCH_SQL = `SELECT * FROM event_store_read_all_batch($1::xid8, $2::bigint, $3, $4::text[])`;

/**
 * The same batch of one tenant as a plain statement, for a pool that
 * pipelines (EventStoreDatabase.queryInTenant, decision 0028): the tenant
 * transaction around it costs no extra round trip, and the rows go straight
 * to the client instead of through the function's tuplestore. Parameters:
 * after transaction id, after position, limit, tenant, the event types when
 * `withTypes`, then the horizon when `horizon` is 'given'. Planned per call
 * with the actual tenant (an unnamed statement), under STREAM_BATCH_SETTINGS
 * like the function; served by ix_events_tenant_tx_order.
 *
 * The horizon only moves forward: every transaction below a horizon read
 * earlier has ended, and no later one can take an id below it. So a reader
 * may keep one (decision 0029): 'fresh' computes it (about 1.5 ms a batch)
 * and returns it as an extra last column (HORIZON_COLUMN); 'given' reads
 * below the one passed. A batch cut short by a given horizon only says the
 * reader reached that horizon; a fresh one says where the log ends for now.
 */
export function streamBatchStatement(withTypes: boolean, horizon: 'fresh' | 'given' = 'fresh'): string {
  const fresh = horizon === 'fresh';
  const below = fresh ? '(SELECT horizon FROM h)' : `$${withTypes ? 6 : 5}::xid8`;
  return `${fresh ? 'WITH h AS MATERIALIZED (SELECT event_store_read_horizon() AS horizon)\n  ' : ''}SELECT ${EVENT_COLUMNS}${fresh ? `, ${below}` : ''} FROM stored_domain_events e
   WHERE e.tenant_id = $4 AND (e.transaction_id, e.global_position) > ($1::xid8, $2::bigint)
     AND e.transaction_id < ${below}${withTypes ? ' AND e.event_type = ANY ($5::text[])' : ''}
   ORDER BY e.transaction_id, e.global_position LIMIT $3`;
}

/** Where a 'fresh' streamBatchStatement puts the horizon it read: after EVENT_COLUMNS. */
export const HORIZON_COLUMN = EVENT_COLUMNS.split(',').length;

/** The planner settings event_store_read_batch runs with (decision 0014), for the transaction of streamBatchStatement. */
export const STREAM_BATCH_SETTINGS: Record<string, string> = { enable_sort: 'off', random_page_cost: '1' };
