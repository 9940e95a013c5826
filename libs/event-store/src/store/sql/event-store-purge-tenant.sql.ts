// The current definition of event_store_purge_tenant (decision 0018), applied by migration
// 1764100000600. Called by clear-tenant-events.ts; owned by the writer role.
//
// Tenant purge (clearTenantEvents), one chunk: at most p_limit events of
// the transaction's tenant, oldest first (ix_events_tenant_position); once
// fewer remain, also its streams and snapshots. Chunks keep each purge
// transaction short: every transaction of this database holds readers of
// the global order back while it runs (decision 0004). The redaction log
// stays: it is append-only.
export const EVENT_STORE_PURGE_TENANT = `CREATE FUNCTION event_store_purge_tenant(p_tenant_id text, p_limit integer) RETURNS bigint
     LANGUAGE plpgsql AS $$
     DECLARE
       v_events bigint;
     BEGIN
       PERFORM event_store_require_tenant(p_tenant_id);
       WITH gone AS (
         DELETE FROM stored_domain_events
          WHERE tenant_id = p_tenant_id
            AND global_position IN (SELECT global_position FROM stored_domain_events
                                     WHERE tenant_id = p_tenant_id ORDER BY global_position LIMIT p_limit)
         RETURNING 1)
       SELECT count(*) INTO v_events FROM gone;
       IF v_events < p_limit THEN
         DELETE FROM event_store_snapshots WHERE tenant_id = p_tenant_id;
         DELETE FROM event_store_streams WHERE tenant_id = p_tenant_id;
       END IF;
       RETURN v_events;
     END $$`;
