// The current definition of event_store_guard_append_only (decision 0018), applied by migration
// 1764100000600. The trigger of stored_domain_events and event_store_redactions (no caller in TypeScript).
//
// Only the writer (the store's functions) may rewrite, and a rewrite is a
// redaction: payload columns only, marking a not yet redacted event.
export const EVENT_STORE_GUARD_APPEND_ONLY = `CREATE OR REPLACE FUNCTION event_store_guard_append_only() RETURNS trigger
     LANGUAGE plpgsql AS $$
     BEGIN
       IF TG_NARGS = 1 AND current_user = TG_ARGV[0]::name THEN
         IF TG_OP = 'DELETE' THEN
           RETURN OLD;
         ELSIF TG_OP = 'UPDATE' THEN
           IF (to_jsonb(NEW) - 'data' - 'metadata' - 'is_redacted' - 'redacted_at')
              IS DISTINCT FROM (to_jsonb(OLD) - 'data' - 'metadata' - 'is_redacted' - 'redacted_at') THEN
             RAISE EXCEPTION 'redaction may only change data, metadata, is_redacted and redacted_at' USING ERRCODE = 'ESAPO';
           END IF;
           IF OLD.is_redacted OR NOT NEW.is_redacted THEN
             RAISE EXCEPTION 'a rewrite must redact an event not yet redacted' USING ERRCODE = 'ESAPO';
           END IF;
           RETURN NEW;
         END IF;
       END IF;
       RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
         USING ERRCODE = 'ESAPO',
               HINT = 'Use redactEvent / eraseSubject for GDPR redaction or clearTenantEvents for an enabled purge.';
     END $$`;
