// The optimistic-concurrency check of an append (decision 0002), written once
// for both append functions (event_store_append raises on a mismatch,
// event_store_append_group records it on the append's row). Text fragments,
// not a PL/pgSQL function: the check runs once per stream of every append,
// and a fragment costs no call. The arguments are PL/pgSQL expressions of the
// function that embeds the fragment; `indent` is the indentation of the line
// that holds it, so that each function's text stays as written.

/** SQLSTATE of a failed expected-version check; the store maps it to ConcurrencyError. */
export const VERSION_CONFLICT_CODE = 'ESCON';

/** The message of a failed expected-version check. */
export const VERSION_CONFLICT_MESSAGE = 'expected version does not match';

/**
 * The expectation for one stream: its own entry of the append's `expected`
 * object, else the entry `*` (every stream), else `"any"`.
 */
export const expectedVersionOf = (expectations: string, aggregateId: string) =>
  `coalesce(${expectations} -> ${aggregateId}, ${expectations} -> '*', '"any"'::jsonb)`;

/**
 * True when a stream at version `actual` (0: no stream) meets `expected`: a
 * number (that exact version), `"no_stream"`, `"stream_exists"` or `"any"`.
 */
export const expectedVersionMatches = (expected: string, actual: string, indent: string) => `CASE
${indent}  WHEN jsonb_typeof(${expected}) = 'number' THEN ${actual} = (${expected} #>> '{}')::integer
${indent}  WHEN ${expected} = '"no_stream"'::jsonb THEN ${actual} = 0
${indent}  WHEN ${expected} = '"stream_exists"'::jsonb THEN ${actual} > 0
${indent}  ELSE true
${indent}END`;

/**
 * The detail of a failed check, which ConcurrencyError carries: the stream,
 * what was expected and what was found. `breaks` are the separators after
 * the stream and after the expectation.
 */
export const versionConflictDetail = (aggregateId: string, expected: string, actual: string, breaks: [string, string]) =>
  `json_build_object('aggregateId', ${aggregateId},${breaks[0]}'expectedVersion', ${expected},${breaks[1]}'actualVersion', ${actual})::text`;
