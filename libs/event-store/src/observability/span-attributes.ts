import { Attributes } from '@opentelemetry/api';
import { AppendOptions } from '../types/append-options';
import { NewDomainEvent, StoredDomainEvent } from '../types/stored-domain-event';

/** Span names of the store (stable: dashboards and alerts key on them). */
export const SPAN = {
  append: 'event_store.append',
  readStream: 'event_store.read_stream',
  queryEvents: 'event_store.query_events',
  streamBatch: 'event_store.stream_events.batch',
  deliver: 'event_store.deliver',
} as const;

/** Attribute keys of the store's spans. Never the payload or metadata beyond the correlation id. */
export const ATTR = {
  tenantId: 'event_store.tenant_id',
  aggregateId: 'event_store.aggregate_id',
  aggregateType: 'event_store.aggregate_type',
  streamCount: 'event_store.stream_count',
  eventCount: 'event_store.event_count',
  expectedVersion: 'event_store.expected_version',
  eventType: 'event_store.event_type',
  globalPosition: 'event_store.global_position',
  correlationId: 'event_store.correlation_id',
  subscription: 'event_store.subscription',
  subscriptionKind: 'event_store.subscription_kind',
  batchSize: 'event_store.batch_size',
} as const;

/**
 * Attributes of an append: the tenant, the stream (or, for a batch across
 * streams, how many), the event count, the expected version as given
 * (`any`, `no_stream`, a number, or one per stream as JSON) and the first
 * event's correlation id.
 */
export function appendAttributes(events: readonly NewDomainEvent[], tenantId: string, options?: AppendOptions): Attributes {
  try {
    return describeAppend(events, tenantId, options);
  } catch {
    // Computed before the append validates its input: a value that cannot even be printed is the append's error to report.
    return { [ATTR.eventCount]: events.length };
  }
}

function describeAppend(events: readonly NewDomainEvent[], tenantId: string, options?: AppendOptions): Attributes {
  const streams = new Set(events.map((e) => e?.aggregateId));
  const first = events[0];
  const attributes: Attributes = { [ATTR.tenantId]: tenantId, [ATTR.eventCount]: events.length, [ATTR.streamCount]: streams.size };
  if (streams.size === 1 && first) {
    attributes[ATTR.aggregateId] = String(first.aggregateId);
    attributes[ATTR.aggregateType] = String(first.aggregateType);
  }
  const expected = options?.expectedVersion;
  if (expected !== undefined)
    attributes[ATTR.expectedVersion] = typeof expected === 'object' ? String(JSON.stringify(expected)) : String(expected);
  const correlationId = first?.metadata?.correlationId;
  if (typeof correlationId === 'string') attributes[ATTR.correlationId] = correlationId;
  return attributes;
}

/** Attributes of one event handed to a subscriber or projection. */
export function deliveryAttributes(subscription: string, kind: string, event: StoredDomainEvent): Attributes {
  const attributes: Attributes = {
    [ATTR.subscription]: subscription,
    [ATTR.subscriptionKind]: kind,
    [ATTR.tenantId]: event.tenantId,
    [ATTR.eventType]: event.eventType,
    [ATTR.globalPosition]: event.globalPosition,
    [ATTR.aggregateId]: event.aggregateId,
  };
  const correlationId = event.metadata?.correlationId;
  if (typeof correlationId === 'string') attributes[ATTR.correlationId] = correlationId;
  return attributes;
}
