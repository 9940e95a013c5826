// The current definition of event_store_subject_keys (decision 0018), applied by migration
// 1764100000500. The expression of ix_events_subject_keys, used by event_store_subject_positions.
//
// IMMUTABLE: depends on its arguments only (an index expression must). Only
// strings count as subject ids, as the old containment query had it.
// PL/pgSQL rather than SQL: a non-inlinable SQL function costs every
// append about 10 µs per row in the SQL-function executor (measured: an
// insert of 20,000 rows took 1.6x as long as without the index; with this
// function about the same as without). The early NULL keeps events without
// subjects out of the index.
export const EVENT_STORE_SUBJECT_KEYS = `CREATE OR REPLACE FUNCTION event_store_subject_keys(p_tenant_id text, p_metadata jsonb) RETURNS text[]
   LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
   DECLARE
     v_keys    text[] := '{}';
     v_subject jsonb;
   BEGIN
     IF NOT (p_metadata ? 'subjectId' OR p_metadata ? 'subjectIds') THEN
       RETURN NULL;
     END IF;
     IF jsonb_typeof(p_metadata -> 'subjectId') = 'string' THEN
       v_keys := v_keys || (p_tenant_id || chr(31) || (p_metadata ->> 'subjectId'));
     END IF;
     IF jsonb_typeof(p_metadata -> 'subjectIds') = 'array' THEN
       FOR v_subject IN SELECT jsonb_array_elements(p_metadata -> 'subjectIds') LOOP
         IF jsonb_typeof(v_subject) = 'string' THEN
           v_keys := v_keys || (p_tenant_id || chr(31) || (v_subject #>> '{}'));
         END IF;
       END LOOP;
     END IF;
     RETURN v_keys;
   END $$`;
