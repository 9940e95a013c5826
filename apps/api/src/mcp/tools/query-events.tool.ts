import { z } from 'zod';
import { EventQueryFilter } from '@nest-event-store/core';
import { dateTimeArgument, eventOutputSchema, eventTypesArgument, toEventOutput } from '../event-output';
import { requireRole } from '../tool-result';
import { READ_ONLY, defineTool } from './tool-definition';

/** Largest page of `query_events`. */
export const MAX_QUERY_LIMIT = 1000;

/** `query_events`: filtered keyset pages over the caller's tenant, oldest first. */
export const queryEventsTool = defineTool({
  name: 'query_events',
  title: 'Query events',
  description:
    'Finds events of your tenant, oldest first, by any combination of event types, stream (aggregate_type, aggregate_id), occurrence time ' +
    `[from, to) and a case-insensitive keyword in the payload. Returns up to limit (1-${MAX_QUERY_LIMIT}, default 100) events, the total ` +
    'number of matches, and has_more; while has_more is true, call again with the same filters and cursor = next_cursor for the next ' +
    'page (every match is returned exactly once, even while new events arrive). Needs the auditor role.',
  input: z.strictObject({
    event_types: eventTypesArgument.optional().describe('Any of these event types'),
    aggregate_type: z.string().optional(),
    aggregate_id: z.string().optional(),
    from: dateTimeArgument('Occurred at or after (ISO-8601)').optional(),
    to: dateTimeArgument('Occurred before (ISO-8601)').optional(),
    keyword: z.string().optional().describe('Case-insensitive text anywhere in the payload (1-200 characters)'),
    limit: z.number().int().min(1).max(MAX_QUERY_LIMIT).optional().describe(`Page size, 1-${MAX_QUERY_LIMIT} (default 100)`),
    cursor: z.string().optional().describe('next_cursor of the previous page'),
  }),
  output: z.object({
    events: z.array(eventOutputSchema),
    total_count: z.number().int().describe('Matches of the filters across all pages'),
    has_more: z.boolean(),
    next_cursor: z.string().nullable().describe('Pass as cursor for the next page; null on the last page'),
  }),
  annotations: READ_ONLY,
  async run(ctx, args) {
    requireRole(ctx, 'auditor', 'query_events');
    const filter: EventQueryFilter = {};
    if (args.event_types) filter.eventTypes = args.event_types;
    if (args.aggregate_type !== undefined) filter.aggregateType = args.aggregate_type;
    if (args.aggregate_id !== undefined) filter.aggregateId = args.aggregate_id;
    if (args.from !== undefined) filter.from = new Date(args.from);
    if (args.to !== undefined) filter.to = new Date(args.to);
    if (args.keyword !== undefined) filter.keyword = args.keyword;
    const page = await ctx.store.queryEvents(ctx.principal.tenantId, filter, {
      limit: args.limit ?? 100,
      cursor: args.cursor ?? null,
      includeTotal: true,
    });
    return { events: page.items.map(toEventOutput), total_count: page.total ?? 0, has_more: page.hasMore, next_cursor: page.nextCursor };
  },
});
