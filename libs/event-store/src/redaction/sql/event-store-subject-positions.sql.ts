// The current definition of event_store_subject_positions (decision 0018), applied by migration
// 1764100000600. Called by redaction.sql.ts; owned by the reader role.
//
// The next not yet redacted events of a data subject in the transaction's
// tenant, oldest first (eraseSubject). Owned by the reader: under the
// tenant's row-level security the non-leakproof @> could not be an index
// condition, and the lookup would scan the tenant's log. The key is
// tenant-qualified (tenant || chr(31) || subject), and the tenant is
// checked again outside the MATERIALIZED CTE, whose fence keeps
// tenant_id = … from becoming a condition on a tenant index: only
// ix_events_subject_keys can serve it, whatever the statistics (0013).
export const EVENT_STORE_SUBJECT_POSITIONS = `CREATE FUNCTION event_store_subject_positions(p_key text, p_tenant_id text, p_limit integer) RETURNS SETOF bigint
     LANGUAGE plpgsql STABLE AS $$
     BEGIN
       PERFORM event_store_require_tenant(p_tenant_id);
       RETURN QUERY
       WITH hits AS MATERIALIZED (
         SELECT x.global_position, x.tenant_id FROM stored_domain_events x
          WHERE event_store_subject_keys(x.tenant_id, x.metadata) @> ARRAY[p_key] AND NOT x.is_redacted
       )
       SELECT h.global_position FROM hits h WHERE h.tenant_id = p_tenant_id ORDER BY h.global_position LIMIT p_limit;
     END $$`;
