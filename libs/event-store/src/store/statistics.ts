import { Queryable } from '../database/queryable';
import { EventStatistics } from '../types/read-options';

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

/** Totals, redacted count, counts by event and aggregate type, first and last occurrence. */
export async function readStatistics(q: Queryable, tenantId: string): Promise<EventStatistics> {
  const counts = (await q.query(COUNTS_SQL, [tenantId])) as { kind: string; name: string; n: string; redacted: string }[];
  const [range] = (await q.query(RANGE_SQL, [tenantId])) as { first_at: Date | null; last_at: Date | null }[];
  const stats: EventStatistics = {
    totalEvents: 0,
    redactedEvents: 0,
    byEventType: {},
    byAggregateType: {},
    firstEventAt: range.first_at,
    lastEventAt: range.last_at,
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
