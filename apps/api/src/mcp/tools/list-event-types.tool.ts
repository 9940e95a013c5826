import { z } from 'zod';
import { OTHER_CATEGORY } from '../event-type-catalogue';
import { requireRole } from '../tool-result';
import { READ_ONLY, defineTool } from './tool-definition';

const UNDESCRIBED = 'No description registered: a type your tenant stored or the upcasters know.';

/** `list_event_types`: the event types an agent can emit or query, by category. */
export const listEventTypesTool = defineTool({
  name: 'list_event_types',
  title: 'List event types',
  description:
    'Lists the event types of this store with their category, a description, the current schema version and how many events of the ' +
    `type your tenant has stored. Types the application documents come with their category; every other stored or known type is in ` +
    `category "${OTHER_CATEGORY}". Pass category to list one category only; categories lists them all. Needs the auditor role.`,
  input: z.strictObject({
    category: z.string().min(1).max(100).optional().describe('Only this category, e.g. "task"'),
  }),
  output: z.object({
    event_types: z.array(
      z.object({
        event_type: z.string(),
        category: z.string(),
        description: z.string(),
        version: z.number().int().describe('Schema version that reads are upcast to'),
        stored_events: z.number().int(),
      }),
    ),
    categories: z.array(z.string()).describe('Every category, whatever the filter'),
  }),
  annotations: READ_ONLY,
  async run(ctx, args) {
    requireRole(ctx, 'auditor', 'list_event_types');
    const stats = await ctx.store.getStatistics(ctx.principal.tenantId);
    const names = new Set([
      ...ctx.catalogue.list().map((e) => e.eventType),
      ...Object.keys(stats.byEventType),
      ...ctx.migrations.listEventTypes().map((t) => t.eventType),
    ]);
    const all = [...names].sort().map((eventType) => {
      const entry = ctx.catalogue.get(eventType);
      return {
        event_type: eventType,
        category: entry?.category ?? OTHER_CATEGORY,
        description: entry?.description ?? UNDESCRIBED,
        version: Math.max(entry?.version ?? 1, ctx.migrations.getLatestVersion(eventType)),
        stored_events: stats.byEventType[eventType] ?? 0,
      };
    });
    return {
      event_types: args.category === undefined ? all : all.filter((t) => t.category === args.category),
      categories: [...new Set(all.map((t) => t.category))].sort(),
    };
  },
});
