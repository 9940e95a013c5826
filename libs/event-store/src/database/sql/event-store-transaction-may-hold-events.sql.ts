// The current definition of event_store_transaction_may_hold_events (decision 0018),
// applied by migration 1764200000000. Called by event_store_read_horizon
// (event-store-read-horizon.sql.ts) for ids that pg_stat_activity does not list.
//
// VOLATILE: its statement takes a snapshot of its own, newer than the caller's
// (in READ COMMITTED). An id still running there, or one that committed events
// here, is kept. Both checks use that one snapshot, in which the id has ended
// if it is not running, so its events, if any, are visible. In REPEATABLE READ
// the snapshot is the transaction's, where the id is still running: kept.
// It reads every tenant's rows: the migration makes it SECURITY DEFINER, owned
// by the reader role (decision 0003). It answers one bit about a transaction id.
export const EVENT_STORE_TRANSACTION_MAY_HOLD_EVENTS = `CREATE FUNCTION event_store_transaction_may_hold_events(p_transaction_id xid8) RETURNS boolean
   LANGUAGE sql VOLATILE AS $$
     SELECT NOT pg_visible_in_snapshot(p_transaction_id, pg_current_snapshot())
         OR EXISTS (SELECT 1 FROM stored_domain_events WHERE transaction_id = p_transaction_id);
   $$`;
