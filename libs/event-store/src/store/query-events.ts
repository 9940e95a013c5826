import { Queryable } from '../database/queryable';
import { EventValidationError } from '../errors/event-validation.error';
import { EventPageRequest, EventQueryFilter } from '../types/read-options';
import { Violations, assertKnownOptions, checkId, checkTypeName, isBigintText } from '../validation/rules';
import { hasLoneSurrogate } from '../validation/json-payload';
import { EventRow } from './event-row';
import { KeysetCursor, buildCountEventsQuery, buildQueryEventsQuery } from './query-events.sql';

const FILTER_KEYS = ['eventTypes', 'aggregateType', 'aggregateId', 'from', 'to', 'keyword', 'correlationId', 'userId'];
const PAGE_KEYS = ['limit', 'cursor', 'order', 'includeTotal', 'raw'];
/** Largest page queryEvents returns. */
export const MAX_PAGE_SIZE = 1000;

/** Raw page of rows before mapping and upcasting. */
export interface RowPage {
  rows: EventRow[];
  nextCursor: string | null;
  hasMore: boolean;
  total?: number;
}

/** @throws EventValidationError naming each bad filter or page field */
export function checkQuery(
  filter: EventQueryFilter,
  page: EventPageRequest,
): { limit: number; order: 'asc' | 'desc'; cursor: KeysetCursor | null } {
  assertKnownOptions('filter', filter, FILTER_KEYS);
  assertKnownOptions('page', page, PAGE_KEYS);
  const v = new Violations();
  if (filter.eventTypes !== undefined) {
    if (!Array.isArray(filter.eventTypes)) v.add('eventTypes', 'must be an array');
    else filter.eventTypes.forEach((t, i) => checkTypeName(v, `eventTypes[${i}]`, t));
  }
  if (filter.aggregateType !== undefined) checkTypeName(v, 'aggregateType', filter.aggregateType);
  if (filter.aggregateId !== undefined) checkId(v, 'aggregateId', filter.aggregateId);
  for (const key of ['from', 'to'] as const) {
    const value = filter[key];
    if (value !== undefined && (!(value instanceof Date) || Number.isNaN(value.getTime()))) v.add(key, 'must be a valid date');
  }
  if (filter.keyword !== undefined && (typeof filter.keyword !== 'string' || filter.keyword.length === 0 || filter.keyword.length > 200)) {
    v.add('keyword', 'must be 1-200 characters');
  } else if (filter.keyword !== undefined && hasLoneSurrogate(filter.keyword)) {
    v.add('keyword', 'must not contain unpaired UTF-16 surrogates (invalid Unicode)');
  }
  if (filter.correlationId !== undefined) checkId(v, 'correlationId', filter.correlationId);
  if (filter.userId !== undefined) checkId(v, 'userId', filter.userId);
  const limit = page.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) v.add('limit', `must be an integer from 1 to ${MAX_PAGE_SIZE}`);
  const order = page.order ?? 'asc';
  if (order !== 'asc' && order !== 'desc') v.add('order', 'must be "asc" or "desc"');
  v.throwIfAny();
  return { limit, order, cursor: page.cursor ? decodeCursor(page.cursor, order) : null };
}

// For the rest of the page's transaction: no explicit sort, and a random
// page read priced as a sequential one (see pageOrderedByIndex).
const ORDERED_PAGE_SQL = `SELECT set_config('enable_sort', 'off', true), set_config('random_page_cost', current_setting('seq_page_cost'), true)`;

/*
 * Whether one index holds the filter and the page order (tenant_id, then the
 * filtered column, then transaction_id, global_position): no filter, one
 * event type, or an aggregate type. The planner prices every tenant at 0.5%
 * of the table (no statistics on tenant_id, decision 0010); for a big tenant
 * of a mid-sized table that is less than a page, and it would rather read
 * and sort all of the tenant's rows than read the index in order up to the
 * page's end. For these filters it gets no choice. And the global-order
 * index (transaction_id, global_position), whose heap order is known from
 * the statistics while the tenant index's is not, must not look cheaper for
 * that alone: with random and sequential page reads priced alike, the
 * tenant's index, which reads only the page's rows, always wins.
 */
function pageOrderedByIndex(filter: EventQueryFilter): boolean {
  const types = filter.eventTypes?.length ?? 0;
  const others = filter.aggregateId || filter.from || filter.to || filter.keyword || filter.correlationId || filter.userId;
  return !others && (types === 0 || (types === 1 && !filter.aggregateType));
}

/** Planner settings of a page's transaction, before its query (see pageOrderedByIndex). */
export async function preparePage(q: Queryable, filter: EventQueryFilter): Promise<void> {
  if (pageOrderedByIndex(filter)) await q.query(ORDERED_PAGE_SQL);
}

/** One keyset page, plus the total when asked for. */
export async function queryEventRows(
  q: Queryable,
  tenantId: string,
  filter: EventQueryFilter,
  request: { limit: number; order: 'asc' | 'desc'; cursor: KeysetCursor | null; includeTotal?: boolean },
): Promise<RowPage> {
  const query = buildQueryEventsQuery(tenantId, filter, request.cursor, request.limit, request.order);
  await preparePage(q, filter);
  const rows = (await q.query(query.text, query.values)) as EventRow[];
  const hasMore = rows.length > request.limit;
  if (hasMore) rows.length = request.limit;
  const last = rows[rows.length - 1];
  const page: RowPage = { rows, hasMore, nextCursor: hasMore && last ? encodeCursor(last, request.order) : null };
  if (request.includeTotal) {
    const count = buildCountEventsQuery(tenantId, filter);
    const [row] = (await q.query(count.text, count.values)) as { total: string }[];
    page.total = Number(row.total);
  }
  return page;
}

// The cursor is opaque to clients: base64url of the last row's keyset position
// and the order it was read in (a cursor cannot be replayed in the other direction).
function encodeCursor(row: EventRow, order: 'asc' | 'desc'): string {
  return Buffer.from(JSON.stringify({ t: String(row.transaction_id), p: String(row.global_position), o: order })).toString('base64url');
}

function decodeCursor(cursor: string, order: 'asc' | 'desc'): KeysetCursor {
  let decoded: { t?: unknown; p?: unknown; o?: unknown };
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw EventValidationError.of('cursor', 'is not a cursor this API issued');
  }
  // Both numbers must fit their columns (xid8, bigint): a larger one would fail in the cast, not here.
  if (!isBigintText(decoded?.t) || !isBigintText(decoded.p)) {
    throw EventValidationError.of('cursor', 'is not a cursor this API issued');
  }
  if (decoded.o !== order) throw EventValidationError.of('cursor', `was issued for order "${String(decoded.o)}", not "${order}"`);
  return { transactionId: decoded.t, globalPosition: decoded.p };
}
