// The current definition of event_store_transaction_horizon (decision 0018), applied by migration
// 1764100000600. Called by transaction-horizon.ts; owned by the reader role.
//
// The startup check of decision 0004 (ix_events_tx_order, max of its leading column).
export const EVENT_STORE_TRANSACTION_HORIZON = `CREATE FUNCTION event_store_transaction_horizon() RETURNS TABLE (max_stored text, next_xid text, ahead boolean)
     LANGUAGE sql STABLE AS $$
       SELECT max(transaction_id)::text, pg_snapshot_xmax(pg_current_snapshot())::text,
              coalesce(max(transaction_id) >= pg_snapshot_xmax(pg_current_snapshot()), false)
         FROM stored_domain_events
     $$`;
