import { BELOW_READ_HORIZON } from '../database/read-horizon.sql';
import { EventQueryFilter } from '../types/read-options';
import { EVENT_COLUMNS } from './event-row';

/** A decoded keyset cursor: the last row of the previous page, in read order. */
export interface KeysetCursor {
  transactionId: string;
  globalPosition: string;
}

/** SQL text and its parameters; input never enters the text. */
export interface BuiltQuery {
  text: string;
  values: unknown[];
}

function escapeLike(keyword: string): string {
  return keyword.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * The keyword matches the payload's values (strings, numbers, booleans, at any
 * depth), case-insensitively, never its keys: searching "title" must not
 * return every event that has a title. The payload's JSON text is checked
 * first, which rejects most rows cheaply; it is skipped for keywords that
 * JSON text would show escaped (quotes, backslashes, control characters).
 */
function keywordCondition(keyword: string, param: (value: unknown) => string): string {
  const pattern = param(`%${escapeLike(keyword)}%`);
  const inValues = `EXISTS (SELECT 1 FROM jsonb_path_query(data, 'strict $.**') AS v(value)
                     WHERE jsonb_typeof(v.value) IN ('string', 'number', 'boolean') AND (v.value #>> '{}') ILIKE ${pattern})`;
  // eslint-disable-next-line no-control-regex
  return /["\\\u0000-\u001f]/.test(keyword) ? inValues : `data::text ILIKE ${pattern} AND ${inValues}`;
}

/**
 * WHERE clause of queryEvents. Each filter has an index with tenant_id first
 * (see the base migration): event type, aggregate type, occurredAt,
 * correlationId and userId. The keyword scans the tenant's payload values.
 * Rows at or beyond the transaction horizon are left out, so a page never
 * shows an event before an earlier-positioned one that is still committing.
 */
function whereClause(tenantId: string, filter: EventQueryFilter): { conditions: string[]; values: unknown[] } {
  const values: unknown[] = [tenantId];
  const param = (value: unknown) => `$${values.push(value)}`;
  const conditions = ['tenant_id = $1', BELOW_READ_HORIZON];
  // One type as an equality: ix_events_tenant_type then returns the page in
  // order (with = ANY on its second column it would not, and need a sort).
  if (filter.eventTypes?.length === 1) conditions.push(`event_type = ${param(filter.eventTypes[0])}`);
  else if (filter.eventTypes?.length) conditions.push(`event_type = ANY(${param(filter.eventTypes)}::text[])`);
  if (filter.aggregateType) conditions.push(`aggregate_type = ${param(filter.aggregateType)}`);
  if (filter.aggregateId) conditions.push(`aggregate_id = ${param(filter.aggregateId)}`);
  if (filter.from) conditions.push(`occurred_at >= ${param(filter.from)}`);
  if (filter.to) conditions.push(`occurred_at < ${param(filter.to)}`);
  if (filter.keyword) conditions.push(keywordCondition(filter.keyword, param));
  if (filter.correlationId) conditions.push(`metadata->>'correlationId' = ${param(filter.correlationId)}`);
  if (filter.userId) conditions.push(`metadata->>'userId' = ${param(filter.userId)}`);
  return { conditions, values };
}

/**
 * One keyset page in the store's gap-safe order (transaction_id, global_position),
 * fetching one row more than asked to know whether another page follows.
 */
export function buildQueryEventsQuery(
  tenantId: string,
  filter: EventQueryFilter,
  cursor: KeysetCursor | null,
  limit: number,
  order: 'asc' | 'desc',
): BuiltQuery {
  const { conditions, values } = whereClause(tenantId, filter);
  const param = (value: unknown) => `$${values.push(value)}`;
  if (cursor) {
    const op = order === 'asc' ? '>' : '<';
    conditions.push(
      `(transaction_id, global_position) ${op} (${param(cursor.transactionId)}::xid8, ${param(cursor.globalPosition)}::bigint)`,
    );
  }
  const direction = order === 'asc' ? 'ASC' : 'DESC';
  const text = `SELECT ${EVENT_COLUMNS} FROM stored_domain_events WHERE ${conditions.join(' AND ')}
    ORDER BY transaction_id ${direction}, global_position ${direction} LIMIT ${param(limit + 1)}`;
  return { text, values };
}

/** Counts every match of the filter (the optional `total`). */
export function buildCountEventsQuery(tenantId: string, filter: EventQueryFilter): BuiltQuery {
  const { conditions, values } = whereClause(tenantId, filter);
  return { text: `SELECT count(*)::bigint AS total FROM stored_domain_events WHERE ${conditions.join(' AND ')}`, values };
}
