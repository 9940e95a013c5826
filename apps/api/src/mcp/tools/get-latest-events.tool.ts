import { z } from 'zod';
import { eventOutputSchema, eventTypesArgument, toEventOutput } from '../event-output';
import { requireRole } from '../tool-result';
import { MAX_QUERY_LIMIT } from './query-events.tool';
import { READ_ONLY, defineTool } from './tool-definition';

/** `get_latest_events`: the newest events of the caller's tenant. */
export const getLatestEventsTool = defineTool({
  name: 'get_latest_events',
  title: 'Latest events',
  description:
    `The most recent events of your tenant, newest first: limit (1-${MAX_QUERY_LIMIT}, default 10), optionally only some event types. ` +
    'For older events or other filters use query_events. Needs the auditor role.',
  input: z.strictObject({
    limit: z.number().int().min(1).max(MAX_QUERY_LIMIT).optional().describe('How many (default 10)'),
    event_types: eventTypesArgument.optional().describe('Only these event types'),
  }),
  output: z.object({ events: z.array(eventOutputSchema).describe('Newest first') }),
  annotations: READ_ONLY,
  async run(ctx, args) {
    requireRole(ctx, 'auditor', 'get_latest_events');
    const page = await ctx.store.queryEvents(ctx.principal.tenantId, args.event_types ? { eventTypes: args.event_types } : {}, {
      limit: args.limit ?? 10,
      order: 'desc',
    });
    return { events: page.items.map(toEventOutput) };
  },
});
