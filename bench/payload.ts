import { randomUUID } from 'node:crypto';
import { NewDomainEvent } from '@nest-event-store/core';

/** The aggregate type every benchmark event uses. */
export const AGGREGATE_TYPE = 'BenchAggregate';
/** The event type every benchmark event uses. */
export const EVENT_TYPE = 'BenchEventHappened';

/**
 * A small, realistic event (≈150 bytes of JSON) with a caller-supplied id,
 * the normal case (an idempotent retry re-sends the same id): the store and
 * the baseline write exactly the same events.
 */
export function makeEvent(aggregateId: string, index: number): NewDomainEvent {
  return {
    eventId: randomUUID(),
    aggregateType: AGGREGATE_TYPE,
    aggregateId,
    eventType: EVENT_TYPE,
    data: { index, title: 'Requirement approved', amount: 42.5, tags: ['bench', 'audit'] },
    metadata: { userId: 'bench-user', correlationId: randomUUID(), source: 'bench' },
  };
}

/** `count` events of one stream. */
export function makeEvents(aggregateId: string, count: number, firstIndex = 0): NewDomainEvent[] {
  return Array.from({ length: count }, (_, i) => makeEvent(aggregateId, firstIndex + i));
}
