import { z } from 'zod';
import { requireRole } from '../tool-result';
import { defineTool } from './tool-definition';

/** `emit_event`: append one event to a stream of the caller's tenant. */
export const emitEventTool = defineTool({
  name: 'emit_event',
  title: 'Emit an event',
  description:
    'Appends one event to the stream (aggregate_type, aggregate_id) of your tenant and returns its id, its version in the stream and its ' +
    'global position. Any event type may be emitted; types with a registered schema are validated against it. Pass expected_version ' +
    '(the version you last read, or "no_stream" for a new stream) to fail instead of overwriting a concurrent change; pass event_id ' +
    'to make a retry idempotent. Needs the writer role.',
  input: z.strictObject({
    aggregate_type: z.string().describe('Kind of entity the stream belongs to, e.g. "Agent" or "Task"'),
    aggregate_id: z.string().describe('Id of the stream (the entity), unique within your tenant'),
    event_type: z.string().describe('What happened, e.g. "TaskStarted"'),
    data: z.record(z.string(), z.unknown()).describe('The payload: a JSON object'),
    metadata: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('userId, source, correlationId, causationId, subjectId and any other keys; userId defaults to the caller'),
    expected_version: z
      .union([z.number().int().min(0), z.enum(['any', 'no_stream', 'stream_exists'])])
      .optional()
      .describe('Optimistic concurrency: the stream version this append expects (default "any")'),
    event_id: z.uuid().optional().describe('Client-chosen UUID; re-sending the same event with it is not a duplicate'),
  }),
  output: z.object({
    event_id: z.string(),
    aggregate_version: z.number().int().describe('Version of the stream after this event'),
    global_position: z.string(),
    timestamp: z.string().describe('When the event occurred (ISO-8601)'),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  async run(ctx, args) {
    requireRole(ctx, 'writer', 'emit_event');
    const metadata = args.metadata ?? {};
    const stored = await ctx.store.appendEvent(
      {
        eventId: args.event_id,
        aggregateType: args.aggregate_type,
        aggregateId: args.aggregate_id,
        eventType: args.event_type,
        data: args.data,
        metadata: {
          ...metadata,
          userId: (metadata.userId as string | undefined) ?? ctx.principal.sub,
          source: (metadata.source as string | undefined) ?? ctx.source,
        },
      },
      ctx.principal.tenantId,
      { expectedVersion: args.expected_version ?? 'any' },
    );
    return {
      event_id: stored.eventId,
      aggregate_version: stored.aggregateVersion,
      global_position: stored.globalPosition,
      timestamp: stored.occurredAt.toISOString(),
    };
  },
});
