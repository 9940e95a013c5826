/**
 * One batch of the gap-safe global order, in one round trip: the
 * event_store_read_batch function (base migration; horizon from migration
 * 1764100000400) takes the tenant role (or the system role when $1 is NULL)
 * and reads only rows whose transaction is below the oldest transaction that
 * can still commit events into this database, so a transaction that took
 * positions earlier but commits later is waited for instead of skipped, and
 * the (transaction_id, global_position) checkpoint never passes it. Served by
 * ix_events_tenant_tx_order (one tenant) / ix_events_tx_order (all tenants).
 * Parameters: tenant or NULL, after transaction id, after position, limit,
 * event types or NULL.
 */
export const STREAM_BATCH_SQL = `SELECT * FROM event_store_read_batch($1, $2::xid8, $3::bigint, $4, $5::text[])`;
