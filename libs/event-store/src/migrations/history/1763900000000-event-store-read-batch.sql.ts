// Frozen (decision 0018): this function as the base migration 1763900000000
// created it. Later migrations replaced it; their `down` restores this text.
// The current definition: store/sql/event-store-read-batch.sql.ts.

// One batch of the gap-safe global order (streamEvents, subscriptions) in
// one round trip: switches to the tenant role (or the system role for all
// tenants) for this statement's transaction and reads rows below the oldest
// running transaction, in (transaction_id, global_position) order. Planned
// per call (EXECUTE) with the actual tenant: whether the tenant's index or
// the global order index is cheaper depends on the tenant's share of the
// log, which a plan cached for the session would not see.
export const READ_BATCH_1763900000000 = `CREATE FUNCTION event_store_read_batch(p_tenant_id text, p_after_xid xid8, p_after_position bigint,
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
           AND e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())'
       || CASE WHEN p_tenant_id IS NULL THEN '' ELSE ' AND e.tenant_id = $1' END
       || CASE WHEN p_event_types IS NULL THEN '' ELSE ' AND e.event_type = ANY ($5)' END
       || ' ORDER BY e.transaction_id, e.global_position LIMIT $4'
       USING p_tenant_id, p_after_xid, p_after_position, p_limit, p_event_types;
   END $$`;
