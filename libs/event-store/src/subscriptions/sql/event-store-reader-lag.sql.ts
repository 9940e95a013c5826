// The current definition of event_store_reader_lag (decision 0018), applied by migration
// 1764100000600. Called by subscription-store.sql.ts; owned by the reader role.
//
// Events beyond a checkpoint (optionally one tenant / some types) and the head position.
export const EVENT_STORE_READER_LAG = `CREATE FUNCTION event_store_reader_lag(p_after_xid xid8, p_after_position bigint, p_tenant_id text, p_event_types text[])
     RETURNS TABLE (behind text, head text)
     LANGUAGE sql STABLE AS $$
       SELECT (SELECT count(*) FROM stored_domain_events
                WHERE (transaction_id, global_position) > (p_after_xid, p_after_position)
                  AND (p_tenant_id IS NULL OR tenant_id = p_tenant_id)
                  AND (p_event_types IS NULL OR event_type = ANY (p_event_types)))::text,
              (SELECT coalesce(max(global_position), 0) FROM stored_domain_events)::text
     $$`;
