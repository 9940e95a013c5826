import { Violations } from './rules';

/**
 * Deepest nesting of objects and arrays accepted in an event's `data` and
 * `metadata` (`{}` is depth 1, `{"a":[{}]}` depth 3). Real payloads stay far
 * below it; far deeper JSON only serves to exhaust recursive walkers (the
 * upcasters, class-transformer, PostgreSQL's own jsonb parser).
 */
export const MAX_JSON_DEPTH = 100;

// A lone surrogate is matched by \p{Cs} only in unicode mode: pairs form one code point there.
const LONE_SURROGATE = /\p{Cs}/u;
// JSON.stringify writes a lone surrogate as an escape (\ud800); a paired one stays raw.
// An even run of backslashes before it means the text "\ud800", not the character.
const ESCAPED_LONE_SURROGATE = /(^|[^\\])(\\\\)*\\ud[89a-f][0-9a-f]{2}/;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** True when a string holds an unpaired UTF-16 surrogate (not valid Unicode; PostgreSQL cannot store it). */
export function hasLoneSurrogate(value: string): boolean {
  return LONE_SURROGATE.test(value);
}

/**
 * True when JSON text nests objects/arrays deeper than `max`. One pass over
 * the text without recursion; text shorter than 2 × max + 2 cannot be that
 * deep, so ordinary payloads are not scanned at all.
 */
export function jsonDepthExceeds(json: string, max: number): boolean {
  if (json.length < 2 * max + 2) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > max) return true;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--;
  }
  return false;
}

/** True when JSON text written by JSON.stringify holds a lone surrogate (in a key or a value). */
export function jsonHasLoneSurrogate(json: string): boolean {
  return json.includes('\\ud') && ESCAPED_LONE_SURROGATE.test(json);
}

/** Appends a key to a field path: `a.b` for identifier-like keys, `a["…"]` (JSON-escaped) otherwise. */
export function fieldPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key)) return parent ? `${parent}.${key}` : key;
  return `${parent}[${JSON.stringify(key)}]`;
}

/**
 * The path of the first string or key holding a lone surrogate, or undefined.
 * Iterative (an explicit stack), so any nesting depth is safe to walk.
 */
export function findLoneSurrogate(value: unknown, path: string): string | undefined {
  const stack: [unknown, string][] = [[value, path]];
  while (stack.length) {
    const [current, at] = stack.pop()!;
    if (typeof current === 'string') {
      if (hasLoneSurrogate(current)) return at;
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) stack.push([current[i], fieldPath(at, i)]);
    } else if (typeof current === 'object' && current !== null) {
      const keys = Object.keys(current);
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i];
        if (hasLoneSurrogate(key)) return fieldPath(at, key);
        stack.push([(current as Record<string, unknown>)[key], fieldPath(at, key)]);
      }
    }
  }
  return undefined;
}

/**
 * Checks one JSON payload (event data or metadata) from its serialized text:
 * nesting depth, then lone surrogates (named by their path). Both checks
 * start from cheap tests on the text, so valid payloads cost a length check
 * and one `includes`.
 */
export function checkJsonPayload(v: Violations, field: string, value: unknown, json: string): void {
  if (jsonDepthExceeds(json, MAX_JSON_DEPTH)) {
    v.add(field, `must not nest objects and arrays more than ${MAX_JSON_DEPTH} levels deep`);
    return;
  }
  if (jsonHasLoneSurrogate(json)) {
    v.add(findLoneSurrogate(value, field) ?? field, 'must not contain unpaired UTF-16 surrogates (invalid Unicode, e.g. "\\ud800")');
  }
}
