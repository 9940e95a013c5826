// Frozen (decision 0018): this function as the base migration 1763900000000
// created it. Later migrations replaced it; their `down` restores this text.
// The current definition: database/sql/event-store-guard-append-only.sql.ts.

// Append-only, enforced where no code path can forget it. Redaction may
// rewrite the payload columns only, and only with its per-transaction switch
// on; a purge may delete only with its own switch on.
export const GUARD_APPEND_ONLY_1763900000000 = `CREATE FUNCTION event_store_guard_append_only() RETURNS trigger
   LANGUAGE plpgsql AS $$
   BEGIN
     IF TG_OP = 'UPDATE' AND current_setting('event_store.redaction', true) = 'on' THEN
       IF (to_jsonb(NEW) - 'data' - 'metadata' - 'is_redacted' - 'redacted_at')
          IS DISTINCT FROM (to_jsonb(OLD) - 'data' - 'metadata' - 'is_redacted' - 'redacted_at') THEN
         RAISE EXCEPTION 'redaction may only change data, metadata, is_redacted and redacted_at'
           USING ERRCODE = 'ESAPO';
       END IF;
       RETURN NEW;
     ELSIF TG_OP = 'DELETE' AND current_setting('event_store.purge', true) = 'on' THEN
       RETURN OLD;
     END IF;
     RAISE EXCEPTION 'stored_domain_events is append-only: % is not allowed', TG_OP
       USING ERRCODE = 'ESAPO',
             HINT = 'Use redactEvent for GDPR redaction or clearTenantEvents for an enabled purge.';
   END $$`;
