/**
 * Roles the migrations create. Superusers and BYPASSRLS roles ignore row-level
 * security, and both PGlite's and a default server connection are superusers,
 * so every tenant-scoped unit of work switches to TENANT_ROLE for its
 * transaction (`set_config('role', …, true)`), and cross-tenant system work
 * (subscriptions, global replay, startup checks) to SYSTEM_ROLE.
 */
export const TENANT_ROLE = 'event_store_tenant';

/** Cross-tenant reader role: sees every tenant, cannot rewrite events. */
export const SYSTEM_ROLE = 'event_store_system';

/** Per-transaction setting that row-level security compares `tenant_id` with. */
export const TENANT_SETTING = 'app.tenant_id';

/** Per-transaction switches that the append-only trigger honours. */
export const REDACTION_SWITCH = 'event_store.redaction';
export const PURGE_SWITCH = 'event_store.purge';
