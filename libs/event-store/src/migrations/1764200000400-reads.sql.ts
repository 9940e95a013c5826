// The functions of migration 1764200000400. Kept apart from the migration
// class (their SQL in one place); frozen like it.

/** The functions' signatures, as GRANT and ALTER name them. */
export const READ_STREAM_SIGNATURE = 'event_store_read_stream(text,text,integer,integer)';
export const COUNT_STORED_SIGNATURE = 'event_store_count_stored(text,uuid[])';

/**
 * One stream of one tenant in version order, a version range of it, in one
 * round trip: sets the statement's tenant itself (no BEGIN, set_config,
 * COMMIT around it). Served by uq_stored_domain_events_stream_version.
 */
export const READ_STREAM_FUNCTION = `CREATE FUNCTION event_store_read_stream(p_tenant_id text, p_aggregate_id text,
                                             p_from integer, p_to integer)
   RETURNS SETOF stored_domain_events
   LANGUAGE plpgsql AS $$
   BEGIN
     PERFORM set_config('app.tenant_id', p_tenant_id, true);
     RETURN QUERY
       SELECT e.* FROM stored_domain_events e
        WHERE e.tenant_id = p_tenant_id AND e.aggregate_id = p_aggregate_id
          AND e.aggregate_version BETWEEN p_from AND p_to
        ORDER BY e.aggregate_version;
   END $$`;

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
