// The stream-type check of the functions that write events in batches
// (event_store_append, event_store_import), written once: a stream keeps the
// aggregate type it was created with, and one batch names one type per
// stream. A text fragment like expected-version.sql.ts; `indent` is the
// indentation of the line that holds it.

/** SQLSTATE of a stream-type mismatch; the store maps it to EventValidationError. */
export const STREAM_TYPE_MISMATCH_CODE = 'ESTYP';

/**
 * Raises when `row` (a record with aggregate_id, stream_type, batch_type and
 * type_count) shows more than one type for a stream in the batch, or a type
 * other than the stream's.
 */
export const raiseOnStreamTypeMismatch = (
  row: string,
  indent: string,
) => `IF ${row}.type_count > 1 OR ${row}.stream_type <> ${row}.batch_type THEN
${indent}  RAISE EXCEPTION 'aggregate type does not match the stream' USING ERRCODE = '${STREAM_TYPE_MISMATCH_CODE}',
${indent}    DETAIL = json_build_object('aggregateId', ${row}.aggregate_id,
${indent}                               'streamType', ${row}.stream_type,
${indent}                               'requestedType', ${row}.batch_type)::text;
${indent}END IF;`;
