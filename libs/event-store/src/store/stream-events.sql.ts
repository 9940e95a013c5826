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
