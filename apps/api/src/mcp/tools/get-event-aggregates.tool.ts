import { z } from 'zod';
import { EventQueryFilter, EventStoreService } from '@nest-event-store/core';
import { dateTimeArgument } from '../event-output';
import { ToolFailure, requireRole } from '../tool-result';
import { READ_ONLY, defineTool } from './tool-definition';

/** `get_event_aggregates`: counts by event type and aggregate type, optionally in a date range. */
export const getEventAggregatesTool = defineTool({
  name: 'get_event_aggregates',
  title: 'Event counts',
  description:
    'Counts the events of your tenant: the total, by event type and by aggregate type, with the first and last occurrence. Pass ' +
    'from and/or to (ISO-8601; from inclusive, to exclusive) to count only events that occurred in that range. Needs the auditor role.',
  input: z.strictObject({
    from: dateTimeArgument('Occurred at or after').optional(),
    to: dateTimeArgument('Occurred before').optional(),
  }),
  output: z.object({
    total_events: z.number().int(),
    by_event_type: z.record(z.string(), z.number().int()),
    by_aggregate_type: z.record(z.string(), z.number().int()),
    first_event_at: z.string().nullable().describe('Occurrence of the first counted event (in a range: the first in the store order)'),
    last_event_at: z.string().nullable().describe('Occurrence of the last counted event (in a range: the last in the store order)'),
    from: z.string().nullable(),
    to: z.string().nullable(),
  }),
  annotations: READ_ONLY,
  async run(ctx, args) {
    requireRole(ctx, 'auditor', 'get_event_aggregates');
    const tenantId = ctx.principal.tenantId;
    const stats = await ctx.store.getStatistics(tenantId);
    const range: EventQueryFilter = {};
    if (args.from !== undefined) range.from = new Date(args.from);
    if (args.to !== undefined) range.to = new Date(args.to);
    if (range.from && range.to && range.from >= range.to) throw new ToolFailure('Invalid arguments: to: must be after from');
    const bounds = { from: range.from?.toISOString() ?? null, to: range.to?.toISOString() ?? null };
    if (!range.from && !range.to) {
      return {
        total_events: stats.totalEvents,
        by_event_type: stats.byEventType,
        by_aggregate_type: stats.byAggregateType,
        first_event_at: stats.firstEventAt?.toISOString() ?? null,
        last_event_at: stats.lastEventAt?.toISOString() ?? null,
        ...bounds,
      };
    }
    // The statistics name every type; each one's count in the range is an index-served count.
    const byEventType = await countEach(ctx.store, tenantId, Object.keys(stats.byEventType), (t) => ({ ...range, eventTypes: [t] }));
    const byAggregateType = await countEach(ctx.store, tenantId, Object.keys(stats.byAggregateType), (t) => ({
      ...range,
      aggregateType: t,
    }));
    const [first] = (await ctx.store.queryEvents(tenantId, range, { limit: 1, order: 'asc' })).items;
    const [last] = (await ctx.store.queryEvents(tenantId, range, { limit: 1, order: 'desc' })).items;
    return {
      total_events: Object.values(byEventType).reduce((a, b) => a + b, 0),
      by_event_type: byEventType,
      by_aggregate_type: byAggregateType,
      first_event_at: first?.occurredAt.toISOString() ?? null,
      last_event_at: last?.occurredAt.toISOString() ?? null,
      ...bounds,
    };
  },
});

async function countEach(
  store: EventStoreService,
  tenantId: string,
  names: string[],
  filterOf: (name: string) => EventQueryFilter,
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const name of names) {
    const page = await store.queryEvents(tenantId, filterOf(name), { limit: 1, includeTotal: true });
    if (page.total) counts[name] = page.total;
  }
  return counts;
}
