import { BadRequestException } from '@nestjs/common';
import { MAX_JSON_DEPTH, findLoneSurrogate } from '@nest-event-store/core';

/**
 * Deepest nesting of objects and arrays in a request body. The event
 * payload limit (MAX_JSON_DEPTH, 100) plus room for the envelope
 * (body → events → event → data is 3 levels), so that a too-deep payload is
 * still reported by the store naming `events[i].data`; anything deeper is
 * refused here, before class-transformer and class-validator walk the body
 * recursively (thousands of levels overflow their stack).
 */
export const MAX_BODY_DEPTH = MAX_JSON_DEPTH + 8;

const SURROGATE_REASON = 'must not contain unpaired UTF-16 surrogates (invalid Unicode, e.g. "\\ud800")';

/**
 * Rejects input no handler should see: nesting beyond MAX_BODY_DEPTH and
 * strings or keys holding lone surrogates (PostgreSQL cannot store them;
 * they used to reach jsonb and fail as a 500). Both walks are iterative.
 * @param value a parsed body, query object or route parameter
 * @param name the parameter's name (for a single route/query parameter)
 * @throws BadRequestException naming the field
 */
export function guardInput(value: unknown, name: string | undefined): void {
  const tooDeep = firstTooDeep(value, MAX_BODY_DEPTH);
  if (tooDeep !== undefined)
    throw new BadRequestException([
      `${tooDeep || name || 'body'}: must not nest objects and arrays more than ${MAX_BODY_DEPTH} levels deep`,
    ]);
  const path = findLoneSurrogate(value, '');
  if (path !== undefined) throw new BadRequestException([`${path || name || 'body'}: ${SURROGATE_REASON}`]);
}

// The top-level field under which nesting passes `max` ('' for the value
// itself), or undefined; explicit stack, stops at the first too-deep node.
function firstTooDeep(value: unknown, max: number): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const stack: [unknown, number, string][] = [[value, 1, '']];
  while (stack.length) {
    const [current, depth, top] = stack.pop()!;
    if (depth > max) return top;
    const entries = Array.isArray(current) ? current.map((v, i) => [String(i), v] as const) : Object.entries(current as object);
    for (const [key, child] of entries) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1, top || key]);
    }
  }
  return undefined;
}
