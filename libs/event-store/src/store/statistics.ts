import { Queryable } from '../database/queryable';
import { EventStatistics, StatisticsRange } from '../types/read-options';
import { Violations, assertKnownOptions } from '../validation/rules';

/**
 * ix_events_tenant_type / ix_events_tenant_aggregate_type serve the groupings
 * (index-only where the visibility map allows); totals come with them.
 */
export const COUNTS_SQL = `
  SELECT 'type' AS kind, event_type AS name, count(*)::bigint AS n, count(*) FILTER (WHERE is_redacted)::bigint AS redacted
    FROM stored_domain_events WHERE tenant_id = $1 GROUP BY event_type
  UNION ALL
  SELECT 'aggregate', aggregate_type, count(*)::bigint, 0 FROM stored_domain_events WHERE tenant_id = $1 GROUP BY aggregate_type`;

/** ix_events_tenant_occurred */
export const RANGE_SQL = `SELECT min(occurred_at) AS first_at, max(occurred_at) AS last_at FROM stored_domain_events WHERE tenant_id = $1`;

// The same with a date range: occurred_at >= $2 (or no lower bound when null) and < $3.
// A separate statement so that the plan of the unbounded one stays index-only.
const IN_RANGE = `tenant_id = $1 AND ($2::timestamptz IS NULL OR occurred_at >= $2) AND ($3::timestamptz IS NULL OR occurred_at < $3)`;

/** ix_events_tenant_occurred narrows the range; the groupings read the rows found. */
export const COUNTS_IN_RANGE_SQL = `
  SELECT 'type' AS kind, event_type AS name, count(*)::bigint AS n, count(*) FILTER (WHERE is_redacted)::bigint AS redacted
    FROM stored_domain_events WHERE ${IN_RANGE} GROUP BY event_type
  UNION ALL
  SELECT 'aggregate', aggregate_type, count(*)::bigint, 0 FROM stored_domain_events WHERE ${IN_RANGE} GROUP BY aggregate_type`;

/** ix_events_tenant_occurred */
export const RANGE_IN_RANGE_SQL = `SELECT min(occurred_at) AS first_at, max(occurred_at) AS last_at FROM stored_domain_events WHERE ${IN_RANGE}`;

/**
 * @throws EventValidationError naming `range.from` / `range.to` when one is not a valid date,
 *   or `range.to` when it is not after `from`
 */
export function checkStatisticsRange(range: StatisticsRange | undefined): void {
  assertKnownOptions('range', range, ['from', 'to']);
  if (range === undefined || range === null) return;
  const v = new Violations();
  for (const key of ['from', 'to'] as const) {
    const value = range[key];
    if (value !== undefined && (!(value instanceof Date) || Number.isNaN(value.getTime()))) v.add(`range.${key}`, 'must be a valid date');
  }
  if (!v.list.length && range.from && range.to && range.to.getTime() <= range.from.getTime()) v.add('range.to', 'must be after from');
  v.throwIfAny();
}

/**
 * Totals, redacted count, counts by event and aggregate type, first and last
 * occurrence; with a range, of the events that occurred in it (from inclusive, to exclusive).
 */
export async function readStatistics(q: Queryable, tenantId: string, range: StatisticsRange = {}): Promise<EventStatistics> {
  const bounded = range.from !== undefined || range.to !== undefined;
  const params = bounded ? [tenantId, range.from ?? null, range.to ?? null] : [tenantId];
  const counts = (await q.query(bounded ? COUNTS_IN_RANGE_SQL : COUNTS_SQL, params)) as {
    kind: string;
    name: string;
    n: string;
    redacted: string;
  }[];
  const [first] = (await q.query(bounded ? RANGE_IN_RANGE_SQL : RANGE_SQL, params)) as { first_at: Date | null; last_at: Date | null }[];
  const stats: EventStatistics = {
    totalEvents: 0,
    redactedEvents: 0,
    byEventType: {},
    byAggregateType: {},
    firstEventAt: first.first_at,
    lastEventAt: first.last_at,
  };
  for (const row of counts) {
    if (row.kind === 'type') {
      stats.byEventType[row.name] = Number(row.n);
      stats.totalEvents += Number(row.n);
      stats.redactedEvents += Number(row.redacted);
    } else {
      stats.byAggregateType[row.name] = Number(row.n);
    }
  }
  return stats;
}
