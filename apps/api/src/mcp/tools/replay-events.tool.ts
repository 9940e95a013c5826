import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { StoredDomainEvent } from '@nest-event-store/core';
import { ToolFailure, requireRole } from '../tool-result';
import { READ_ONLY, defineTool } from './tool-definition';

/** Events read per round trip while replaying: memory stays bounded however long the stream. */
const REPLAY_CHUNK = 1000;

/** `replay_events`: rebuild a stream's state up to a version. */
export const replayEventsTool = defineTool({
  name: 'replay_events',
  title: 'Replay a stream',
  description:
    'Rebuilds the state of one stream (aggregate_type, aggregate_id) of your tenant by folding its events in version order, up to ' +
    'to_version (default: the latest). The fold is the one the application registered for the aggregate type, otherwise a shallow ' +
    "merge of the events' data objects (later keys win). Returns final_state, events_replayed, the version reached and duration_ms. " +
    'Use it to see what an entity looked like at an earlier version. Needs the auditor role.',
  input: z.strictObject({
    aggregate_type: z.string().describe('Aggregate type of the stream; must match the stored one'),
    aggregate_id: z.string(),
    to_version: z.number().int().min(1).optional().describe('Last version to fold in (1-based, inclusive); default the latest'),
  }),
  output: z.object({
    final_state: z.record(z.string(), z.unknown()),
    events_replayed: z.number().int(),
    version: z.number().int().describe('Version of the last event folded in'),
    duration_ms: z.number(),
  }),
  annotations: READ_ONLY,
  async run(ctx, args) {
    requireRole(ctx, 'auditor', 'replay_events');
    const started = performance.now();
    const tenantId = ctx.principal.tenantId;
    const firstTo = Math.min(REPLAY_CHUNK, args.to_version ?? REPLAY_CHUNK);
    const head = await ctx.store.getStream(args.aggregate_id, tenantId, { fromVersion: 1, toVersion: firstTo });
    if (head.aggregateType !== args.aggregate_type) {
      throw new ToolFailure(`Not found: your tenant has no ${args.aggregate_type} stream '${args.aggregate_id}'`);
    }
    const target = args.to_version ?? head.version;
    if (target > head.version) {
      throw new ToolFailure(`Invalid arguments: to_version: must be at most ${head.version}, the version of the stream`);
    }
    const fold = ctx.folds.forType(head.aggregateType);
    let state: Record<string, unknown> = {};
    let replayed = 0;
    let chunk: StoredDomainEvent[] = head.events;
    for (;;) {
      for (const event of chunk) state = fold(state, event);
      replayed += chunk.length;
      if (replayed >= target || chunk.length === 0) break;
      chunk = await ctx.store.getEventsForAggregate(args.aggregate_id, tenantId, {
        fromVersion: replayed + 1,
        toVersion: Math.min(replayed + REPLAY_CHUNK, target),
      });
    }
    return { final_state: state, events_replayed: replayed, version: replayed, duration_ms: round(performance.now() - started) };
  },
});

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
