// The current definition of event_store_count_stored (decision 0018), applied by
// migration 1764200000400, which makes it SECURITY DEFINER owned by the writer
// role (decision 0021). Called through append-events.sql.ts (COUNT_STORED_SQL) after a conflict.

export const COUNT_STORED_SIGNATURE = 'event_store_count_stored(text,uuid[])';

/**
 * How many of the given event ids the tenant has stored: one probe of
 * uq_stored_domain_events_event_id per id, no stream lock. An append with
 * caller ids that failed on a conflict asks it before trying again: only a
 * concurrent identical append (the same ids, committed first) makes a second
 * try worth its wait for the stream's lock.
 */
export const COUNT_STORED_FUNCTION = `CREATE FUNCTION event_store_count_stored(p_tenant_id text, p_event_ids uuid[])
   RETURNS integer
   LANGUAGE plpgsql AS $$
   BEGIN
     PERFORM set_config('app.tenant_id', p_tenant_id, true);
     RETURN (SELECT count(*) FROM unnest(p_event_ids) AS i(event_id)
              WHERE EXISTS (SELECT 1 FROM stored_domain_events x
                             WHERE x.tenant_id = p_tenant_id AND x.event_id = i.event_id));
   END $$`;
