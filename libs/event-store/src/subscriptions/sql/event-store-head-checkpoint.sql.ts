// The current definition of event_store_head_checkpoint (decision 0018), applied by migration
// 1764100000600. Called by subscription-store.sql.ts; owned by the reader role.
//
// Where a subscription that starts 'now' begins (ix_events_tx_order, backwards).
export const EVENT_STORE_HEAD_CHECKPOINT = `CREATE FUNCTION event_store_head_checkpoint() RETURNS TABLE (xid text, "position" text)
     LANGUAGE sql STABLE AS $$
       SELECT transaction_id::text, global_position::text FROM stored_domain_events
        WHERE transaction_id < (SELECT event_store_read_horizon())
        ORDER BY transaction_id DESC, global_position DESC LIMIT 1
     $$`;
