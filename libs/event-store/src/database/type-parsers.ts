import { types } from 'pg';

const TIMESTAMPTZ_OID = 1184;
const DIGIT_0 = 48;

function digits(text: string, from: number, count: number): number {
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const d = text.charCodeAt(i) - DIGIT_0;
    if (d < 0 || d > 9) return Number.NaN;
    value = value * 10 + d;
  }
  return value;
}

/**
 * timestamptz in the server's ISO output, `YYYY-MM-DD HH:MM:SS[.f…]±HH[:MM]`,
 * read by position: every event carries two or three timestamps, and pg's
 * general-purpose regular-expression parser was a tenth of a streamed read's
 * time. Anything else (BC dates, infinity, years past 9999, other DateStyles)
 * goes to pg's own parser.
 */
export function parseTimestamptz(text: string): Date {
  const n = text.length;
  if (n < 22 || text.charCodeAt(4) !== 45 || text.charCodeAt(10) !== 32 || text.charCodeAt(13) !== 58) return fallback(text);
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  let i = 19;
  let ms = 0;
  if (text.charCodeAt(i) === 46) {
    // Fraction: up to microseconds; milliseconds are what a Date holds.
    let scale = 100;
    for (i++; i < n; i++) {
      const d = text.charCodeAt(i) - DIGIT_0;
      if (d < 0 || d > 9) break;
      ms += d * scale;
      scale /= 10;
    }
  }
  const sign = text.charCodeAt(i);
  if (sign !== 43 && sign !== 45) return fallback(text);
  const offsetHours = digits(text, i + 1, 2);
  const offsetMinutes = text.charCodeAt(i + 3) === 58 ? digits(text, i + 4, 2) : 0;
  const rest = text.charCodeAt(i + 3) === 58 ? i + 6 : i + 3;
  if (rest !== n) return fallback(text);
  const offsetMs = (sign === 43 ? 1 : -1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, Math.floor(ms)) - offsetMs;
  if (Number.isNaN(utc) || year < 100) return fallback(text);
  return new Date(utc);
}

function fallback(text: string): Date {
  return types.getTypeParser(TIMESTAMPTZ_OID, 'text')(text) as Date;
}

/** Type parsers of the store's pool: pg's own, with the faster timestamptz. */
export const EVENT_STORE_PG_TYPES = {
  getTypeParser(oid: number, format?: 'text' | 'binary'): unknown {
    if (oid === TIMESTAMPTZ_OID && format !== 'binary') return parseTimestamptz;
    return types.getTypeParser(oid, format);
  },
};
