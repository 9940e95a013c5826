import { randomUUID } from 'node:crypto';

/** What a test may vary per event of the batch. */
export interface AppendInputEvent {
  event_type?: string;
  data?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
}

/**
 * The `p_events` argument of event_store_append for `count` new events of one
 * 'Order' stream, as prepareAppend writes it (APPEND_EVENTS_SQL): caller-made
 * ids, positions `i` and per-stream offsets `k`. For tests that call the
 * function directly.
 */
export function appendFunctionInput(aggregateId: string, count: number, event: (i: number) => AppendInputEvent = () => ({})): string {
  return JSON.stringify(
    Array.from({ length: count }, (_, i) => {
      const { event_type = 'OrderPlaced', data = {}, metadata = {} } = event(i);
      return {
        i,
        k: i + 1,
        event_id: randomUUID(),
        aggregate_type: 'Order',
        aggregate_id: aggregateId,
        event_type,
        event_version: 1,
        occurred_at: new Date().toISOString(),
        data,
        metadata,
      };
    }),
  );
}
