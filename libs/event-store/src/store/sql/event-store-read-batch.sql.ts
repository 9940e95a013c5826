// The current definition of event_store_read_batch (decision 0018), applied
// by migration 1764100000400 with EVENT_STORE_READ_BATCH_SETTINGS. Migration
// 1764100000600 then turns its role switches into a refusal of the
// all-tenants call (event_store_read_all_batch serves it) and a no-op, and
// makes it SECURITY DEFINER, owned by the writer role (decision 0003).
//
// One batch of the gap-safe global order (streamEvents, subscriptions) in
// one round trip: reads the tenant's rows below the read horizon
// (event_store_read_horizon, database/sql/) in (transaction_id,
// global_position) order. Planned per call (EXECUTE) with the actual tenant:
// whether the tenant's index or the global order index is cheaper depends on
// the tenant's share of the log, which a plan cached for the session would
// not see.
export const EVENT_STORE_READ_BATCH_FUNCTION = `
  CREATE OR REPLACE FUNCTION event_store_read_batch(p_tenant_id text, p_after_xid xid8, p_after_position bigint,
                                                    p_limit integer, p_event_types text[])
   RETURNS SETOF stored_domain_events
   LANGUAGE plpgsql AS $$
   BEGIN
     IF p_tenant_id IS NULL THEN
       PERFORM set_config('role', 'event_store_system', true);
     ELSE
       PERFORM set_config('app.tenant_id', p_tenant_id, true);
       PERFORM set_config('role', 'event_store_tenant', true);
     END IF;
     RETURN QUERY EXECUTE
       'SELECT e.* FROM stored_domain_events e
         WHERE (e.transaction_id, e.global_position) > ($2, $3)
           AND e.transaction_id < (SELECT event_store_read_horizon())'
       || CASE WHEN p_tenant_id IS NULL THEN '' ELSE ' AND e.tenant_id = $1' END
       || CASE WHEN p_event_types IS NULL THEN '' ELSE ' AND e.event_type = ANY ($5)' END
       || ' ORDER BY e.transaction_id, e.global_position LIMIT $4'
       USING p_tenant_id, p_after_xid, p_after_position, p_limit, p_event_types;
   END $$`;

// CREATE OR REPLACE drops a function's SET clauses: the planner settings of
// PlansWithoutStatistics1764100000300 (decision 0014) are applied again.
export const EVENT_STORE_READ_BATCH_SETTINGS = [
  `ALTER FUNCTION event_store_read_batch(text, xid8, bigint, integer, text[]) SET enable_sort = off`,
  `ALTER FUNCTION event_store_read_batch(text, xid8, bigint, integer, text[]) SET random_page_cost = 1`,
];
