// The current definition of event_store_read_all_batch (decision 0018), applied by migration
// 1764100000600 with its settings. Called by stream-events.sql.ts; owned by the reader role.
//
// Cross-tenant reads, owned by the reader role (its policy is the only
// cross-tenant one). Same gap-safe order as event_store_read_batch.
export const EVENT_STORE_READ_ALL_BATCH = `CREATE FUNCTION event_store_read_all_batch(p_after_xid xid8, p_after_position bigint, p_limit integer, p_event_types text[])
     RETURNS SETOF stored_domain_events
     LANGUAGE plpgsql AS $$
     BEGIN
       RETURN QUERY EXECUTE
         'SELECT e.* FROM stored_domain_events e
           WHERE (e.transaction_id, e.global_position) > ($1, $2)
             AND e.transaction_id < (SELECT event_store_read_horizon())'
         || CASE WHEN p_event_types IS NULL THEN '' ELSE ' AND e.event_type = ANY ($4)' END
         || ' ORDER BY e.transaction_id, e.global_position LIMIT $3'
         USING p_after_xid, p_after_position, p_limit, p_event_types;
     END $$`;

// The cross-tenant batch reads the global order like event_store_read_batch,
// with its planner settings (PlansWithoutStatistics1764100000300, decision 0014).
export const EVENT_STORE_READ_ALL_BATCH_SETTINGS = [
  `ALTER FUNCTION event_store_read_all_batch(xid8,bigint,integer,text[]) SET enable_sort = off`,
  `ALTER FUNCTION event_store_read_all_batch(xid8,bigint,integer,text[]) SET random_page_cost = 1`,
];
