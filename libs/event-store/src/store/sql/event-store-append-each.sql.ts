import { GROUP_RESULT_COLUMNS, NO_EVENT } from './append-result.sql';

// The current definition of event_store_append_each (decision 0018), applied
// by the base migration 1763900000000. Migration 1764100000600 makes it
// SECURITY DEFINER, owned by the writer role (decision 0003).
//
// Group commit, general form: several appends of one process in one
// transaction and one round trip, each in its own subtransaction (the
// EXCEPTION block), so it keeps its own atomicity, concurrency check and
// error: a failed append is rolled back alone and reported on its index
// row; the others commit together. Used when ids come from the caller
// (idempotent retries need the full per-append path). Callers keep groups
// small (past 64 subtransactions every snapshot in the cluster slows down).
export const EVENT_STORE_APPEND_EACH = `CREATE FUNCTION event_store_append_each(p_appends jsonb)
   RETURNS TABLE (${GROUP_RESULT_COLUMNS})
   LANGUAGE plpgsql AS $$
   #variable_conflict use_column
   DECLARE
     v_append jsonb;
     v_index  integer := 0;
     v_code   text;
     v_msg    text;
     v_detail text;
     v_constr text;
   BEGIN
     FOR v_append IN SELECT value FROM jsonb_array_elements(p_appends) LOOP
       BEGIN
         RETURN QUERY SELECT v_index, NULL::text, NULL::text, NULL::text, NULL::text, a.*
           FROM event_store_append(v_append->>'tenant', v_append->'events', v_append->'expected', (v_append->>'clientIds')::boolean) a;
       EXCEPTION WHEN OTHERS THEN
         GET STACKED DIAGNOSTICS v_code = RETURNED_SQLSTATE, v_msg = MESSAGE_TEXT,
                                 v_detail = PG_EXCEPTION_DETAIL, v_constr = CONSTRAINT_NAME;
         RETURN QUERY SELECT v_index, v_code, v_msg, v_detail, v_constr, ${NO_EVENT};
       END;
       v_index := v_index + 1;
     END LOOP;
   END $$`;
