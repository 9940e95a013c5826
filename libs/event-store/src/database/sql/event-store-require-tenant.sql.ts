// The current definition of event_store_require_tenant (decision 0018), applied by migration
// 1764100000600. Called by the redaction, purge and subject lookup functions.
//
// A rewrite names its tenant, and it must be the transaction's: a call
// outside a tenant context, or for another tenant, is refused.
export const EVENT_STORE_REQUIRE_TENANT = `CREATE FUNCTION event_store_require_tenant(p_tenant_id text) RETURNS void
     LANGUAGE plpgsql AS $$
     BEGIN
       IF coalesce(p_tenant_id, '') = '' OR p_tenant_id IS DISTINCT FROM current_setting('app.tenant_id', true) THEN
         RAISE EXCEPTION 'tenant % is not the tenant of this transaction', p_tenant_id USING ERRCODE = '42501';
       END IF;
     END $$`;
