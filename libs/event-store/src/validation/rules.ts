import { EventValidationError, FieldViolation } from '../errors/event-validation.error';

/** Tenant ids: letters, digits, `_`, `-`, `.`; 1–64 characters, starting with a letter or digit. */
export const TENANT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Type names (event, aggregate): identifier-like so they read well in logs and URLs.
const TYPE_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_.:-]*$/;
const MAX_ID_LENGTH = 200;
// Not imported from json-payload.ts: that file imports Violations from here.
const LONE_SURROGATE = /\p{Cs}/u;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f]/;
// eslint-disable-next-line no-control-regex
const FORBIDDEN_IN_ID = /[\u0000-\u001f]|\p{Cs}/u;
const DIGITS = /^\d{1,19}$/;

/** Largest PostgreSQL `integer` (int4): versions, limits, counts. */
export const INT4_MAX = 2_147_483_647;
/** Largest PostgreSQL `bigint` (int8), as text: global positions, and the transaction ids a cursor may carry. */
export const BIGINT_MAX = 9_223_372_036_854_775_807n;
const MAX_TYPE_LENGTH = 128;
// JSON.stringify writes U+0000 as \u0000; jsonb rejects it. An even run of
// backslashes before it means the text "\u0000", not the character.
const ESCAPED_NUL = /(^|[^\\])(\\\\)*\\u0000/;

/** Collects violations so that one error reports every bad field at once. */
export class Violations {
  readonly list: FieldViolation[] = [];

  add(field: string, reason: string): void {
    this.list.push({ field, reason });
  }

  /** Throws EventValidationError when anything was collected. */
  throwIfAny(): void {
    if (this.list.length) throw new EventValidationError(this.list);
  }
}

/** @throws EventValidationError unless `tenantId` is a valid tenant id */
export function assertTenantId(tenantId: unknown): asserts tenantId is string {
  if (typeof tenantId !== 'string' || !TENANT_ID_PATTERN.test(tenantId)) {
    throw EventValidationError.of('tenantId', 'must be 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit');
  }
}

/** Why a free-form identifier (aggregate id, subject id) is invalid: empty, too long, control characters; undefined when valid. */
export function idProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return 'must be a non-empty string';
  if (value.length > MAX_ID_LENGTH) return `must be at most ${MAX_ID_LENGTH} characters`;
  // One pass for the common (valid) case; which rule failed is worked out only on a hit.
  if (!FORBIDDEN_IN_ID.test(value)) return undefined;
  return LONE_SURROGATE.test(value) && !CONTROL.test(value)
    ? 'must not contain unpaired UTF-16 surrogates (invalid Unicode)'
    : 'must not contain control characters';
}

/** Checks a free-form identifier (aggregate id, subject id): non-empty, bounded, no control characters. */
export function checkId(v: Violations, field: string, value: unknown): void {
  const problem = idProblem(value);
  if (problem) v.add(field, problem);
}

/** Why a type name (event type, aggregate type) is invalid; undefined when valid. */
export function typeNameProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return 'must be a non-empty string';
  if (value.length > MAX_TYPE_LENGTH) return `must be at most ${MAX_TYPE_LENGTH} characters`;
  if (!TYPE_NAME_PATTERN.test(value)) return 'must start with a letter and contain only letters, digits, "_", ".", ":" or "-"';
  return undefined;
}

/** Checks a type name (event type, aggregate type). */
export function checkTypeName(v: Violations, field: string, value: unknown): void {
  const problem = typeNameProblem(value);
  if (problem) v.add(field, problem);
}

/** @throws EventValidationError unless `value` is a valid type name (see typeNameProblem) */
export function assertTypeName(field: string, value: unknown): asserts value is string {
  const problem = typeNameProblem(value);
  if (problem) throw EventValidationError.of(field, problem);
}

/** @throws EventValidationError unless `value` is a valid free-form identifier (see idProblem) */
export function assertId(field: string, value: unknown): asserts value is string {
  const problem = idProblem(value);
  if (problem) throw EventValidationError.of(field, problem);
}

/** True for a UUID in canonical text form. */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID_PATTERN.test(value);
}

/** @throws EventValidationError unless `value` is a UUID */
export function assertUuid(field: string, value: unknown): asserts value is string {
  if (!isUuid(value)) throw EventValidationError.of(field, 'must be a UUID');
}

/** True for a plain JSON object (not an array, not null, not a class instance like Date). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** True when serialized JSON holds a NUL character, which jsonb cannot store. */
export function containsEscapedNul(json: string): boolean {
  return json.includes('\\u0000') && ESCAPED_NUL.test(json);
}

/** @throws EventValidationError when `options` has keys other than `allowed` */
export function assertKnownOptions(field: string, options: object | undefined, allowed: readonly string[]): void {
  if (options === undefined || options === null) return;
  if (typeof options !== 'object') throw EventValidationError.of(field, 'must be an object');
  const unknown = Object.keys(options).filter((k) => !allowed.includes(k));
  if (unknown.length) throw EventValidationError.of(field, `unknown option(s): ${unknown.join(', ')}; allowed: ${allowed.join(', ')}`);
}

/** @throws EventValidationError unless `value` is an integer in [min, max] (undefined passes) */
export function assertOptionalInt(field: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw EventValidationError.of(field, `must be an integer from ${min} to ${max}`);
  }
}

/**
 * True for the decimal text of an integer from 0 to BIGINT_MAX: a global
 * position, or a transaction id in a cursor or checkpoint. xid8 itself goes
 * to 2^64 - 1, but ids the store issues stay far below 2^63 (that needs 2^31
 * epochs of 2^32 transactions), so one range serves both.
 */
export function isBigintText(value: unknown): value is string {
  return typeof value === 'string' && DIGITS.test(value) && BigInt(value) <= BIGINT_MAX;
}

/** True for a checkpoint whose two numbers fit their columns (see isBigintText). */
export function isCheckpoint(value: unknown): value is { transactionId: string; globalPosition: string } {
  const c = value as { transactionId?: unknown; globalPosition?: unknown } | null | undefined;
  return typeof c === 'object' && c !== null && isBigintText(String(c.transactionId)) && isBigintText(String(c.globalPosition));
}
