// The current definition of event_store_read_stream (decision 0018), applied by
// migration 1764200000400, which makes it SECURITY DEFINER owned by the writer
// role (decision 0021). Called by read-stream.ts.

export const READ_STREAM_SIGNATURE = 'event_store_read_stream(text,text,integer,integer)';

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
