import { INestApplicationContext } from '@nestjs/common';
import { SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ConcurrencyError } from '../errors/concurrency.error';
import { EventValidationError } from '../errors/event-validation.error';
import { CreateTicketReadModels1763900200000, TicketLogProjection } from '../projections/testing-fixtures/ticket-count.projection';
import { EventStoreService } from '../store/event-store.service';
import { SubscriptionManager } from '../subscriptions/subscription-manager';
import { eventually, openDeliveryApp } from '../subscriptions/testing-fixtures/delivery-app';
import { describeEachBackend } from '../testing/describe-each-backend';
import { TestDatabase, createTestDatabase } from '../testing/test-database';
import { DeliveryObservation } from './delivery-observer';
import { TRACER_NAME } from './tracer';

const created = (aggregateId: string, correlationId?: string, data: Record<string, unknown> = {}) => ({
  aggregateType: 'Ticket',
  aggregateId,
  eventType: 'TicketOpened',
  data,
  metadata: correlationId ? { correlationId } : {},
});

describeEachBackend('OpenTelemetry spans of the store', (mode) => {
  const exporter = new InMemorySpanExporter();
  let provider: NodeTracerProvider;
  let db: TestDatabase;
  let app: INestApplicationContext;
  let store: EventStoreService;
  let manager: SubscriptionManager;

  const spans = (name: string): ReadableSpan[] => exporter.getFinishedSpans().filter((s) => s.name === name);

  beforeAll(async () => {
    provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    provider.register();
    db = await createTestDatabase(mode);
    app = await openDeliveryApp(db, [TicketLogProjection], { schemaMigrations: [CreateTicketReadModels1763900200000] });
    store = app.get(EventStoreService);
    manager = app.get(SubscriptionManager);
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
    await provider?.shutdown();
    trace.disable();
    context.disable();
    propagation.disable();
  });
  beforeEach(() => exporter.reset());

  it('records an append with tenant, stream, type, event count, expected version and correlation id', async () => {
    await store.appendEvents([created('t-1', 'corr-append'), created('t-1', 'corr-append')], 'acme', { expectedVersion: 'no_stream' });
    const [span] = spans('event_store.append');
    expect(span.instrumentationScope.name).toBe(TRACER_NAME);
    expect(span.attributes).toEqual({
      'event_store.tenant_id': 'acme',
      'event_store.aggregate_id': 't-1',
      'event_store.aggregate_type': 'Ticket',
      'event_store.stream_count': 1,
      'event_store.event_count': 2,
      'event_store.expected_version': 'no_stream',
      'event_store.correlation_id': 'corr-append',
    });
    expect(span.status.code).not.toBe(SpanStatusCode.ERROR);
  });

  it('marks a rejected append as an error with the exception recorded', async () => {
    await expect(store.appendEvents([created('t-1')], 'acme', { expectedVersion: 0 })).rejects.toBeInstanceOf(ConcurrencyError);
    const [span] = spans('event_store.append');
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes['event_store.expected_version']).toBe('0');
    expect(span.events.map((e) => e.name)).toContain('exception');
  });

  it('records an append the validation rejects as an error span', async () => {
    await expect(store.appendEvents([created('t-x')], 'acme', { expectedVersion: -1 })).rejects.toBeInstanceOf(EventValidationError);
    const [span] = spans('event_store.append');
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes).toMatchObject({ 'event_store.expected_version': '-1', 'event_store.event_count': 1 });
  });

  it('records stream reads and queries as children of the caller span, with the number of events read', async () => {
    await trace.getTracer('test').startActiveSpan('caller', async (caller) => {
      await store.getStream('t-1', 'acme');
      await store.getEventsForAggregate('t-1', 'acme');
      await store.queryEvents('acme', { aggregateType: 'Ticket' });
      caller.end();
    });
    const [parent] = spans('caller');
    const reads = [...spans('event_store.read_stream'), ...spans('event_store.query_events')];
    expect(reads).toHaveLength(3);
    for (const read of reads) {
      expect(read.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
      expect(read.attributes).toMatchObject({ 'event_store.tenant_id': 'acme', 'event_store.event_count': 2 });
    }
    expect(spans('event_store.read_stream')[0].attributes['event_store.aggregate_id']).toBe('t-1');
  });

  it('records streamEvents batches inside a trace, and none outside one (an idle poll makes no trace)', async () => {
    const drain = async () => {
      for await (const _event of store.streamEvents({ tenantId: 'acme', batchSize: 1 })) void _event;
    };
    await drain();
    expect(spans('event_store.stream_events.batch')).toEqual([]);
    await trace.getTracer('test').startActiveSpan('consumer', async (consumer) => {
      await drain();
      consumer.end();
    });
    const batches = spans('event_store.stream_events.batch');
    // Two events in batches of one: two full batches, an empty one below the
    // horizon the first read, and the empty one with a fresh horizon that ends the read.
    expect(batches).toHaveLength(4);
    expect(batches.map((b) => b.attributes['event_store.event_count'])).toEqual([1, 1, 0, 0]);
    expect(batches[0].attributes).toMatchObject({ 'event_store.tenant_id': 'acme', 'event_store.batch_size': 1 });
  });

  it('records each delivery to a subscriber as a trace of its own carrying the event correlation id, and tells observers its latency', async () => {
    const observed: DeliveryObservation[] = [];
    const stopObserving = manager.observeDeliveries((o) => observed.push(o));
    const sub = await manager.subscribe(
      { name: 'traced-subscriber', tenantId: 'globex', retry: { maxAttempts: 2, initialDelayMs: 5 } },
      (event) => {
        if (event.data.poison) throw new Error('cannot handle it');
      },
    );
    const [good] = await store.appendEvents([created('g-1', 'corr-deliver')], 'globex');
    const [bad] = await store.appendEvents([created('g-2', 'corr-poison', { poison: true })], 'globex');
    await manager.waitUntilCaughtUp('traced-subscriber');
    await manager.waitUntilCaughtUp('ticket-log');
    await sub.stop();
    stopObserving();

    const deliveries = spans('event_store.deliver').filter((d) => d.attributes['event_store.subscription'] === 'traced-subscriber');
    const ok = deliveries.filter((d) => d.attributes['event_store.global_position'] === good.globalPosition);
    expect(ok).toHaveLength(1);
    expect(ok[0].attributes).toEqual({
      'event_store.subscription': 'traced-subscriber',
      'event_store.subscription_kind': 'subscriber',
      'event_store.tenant_id': 'globex',
      'event_store.event_type': 'TicketOpened',
      'event_store.global_position': good.globalPosition,
      'event_store.aggregate_id': 'g-1',
      'event_store.correlation_id': 'corr-deliver',
    });
    expect(ok[0].parentSpanContext).toBeUndefined();
    const failed = deliveries.filter((d) => d.attributes['event_store.global_position'] === bad.globalPosition);
    expect(failed).toHaveLength(2);
    for (const attempt of failed) expect(attempt.status.code).toBe(SpanStatusCode.ERROR);

    // Only the handled event is observed (the parked one never completed).
    expect(observed.filter((o) => o.subscription === 'traced-subscriber')).toEqual([
      {
        subscription: 'traced-subscriber',
        kind: 'subscriber',
        eventType: 'TicketOpened',
        globalPosition: good.globalPosition,
        latencySeconds: expect.any(Number),
      },
    ]);
    const latency = observed.find((o) => o.subscription === 'traced-subscriber')!.latencySeconds;
    expect(latency).toBeGreaterThanOrEqual(0);
    expect(latency).toBeLessThan(60);
    expect(observed.some((o) => o.subscription === 'ticket-log' && o.kind === 'projection')).toBe(true);
    expect(await manager.countDeadLetters()).toMatchObject({ 'traced-subscriber': 1 });
  });

  it('records each event a projection applies, in a trace of its own', async () => {
    const [event] = await store.appendEvents([created('p-1', 'corr-projection')], 'hooli');
    await manager.waitUntilCaughtUp('ticket-log');
    const [applied] = spans('event_store.deliver').filter(
      (d) =>
        d.attributes['event_store.global_position'] === event.globalPosition && d.attributes['event_store.subscription'] === 'ticket-log',
    );
    expect(applied.attributes).toMatchObject({
      'event_store.subscription': 'ticket-log',
      'event_store.subscription_kind': 'projection',
      'event_store.correlation_id': 'corr-projection',
    });
    expect(applied.parentSpanContext).toBeUndefined();
  });

  it('does not let a throwing observer disturb delivery', async () => {
    const stopObserving = manager.observeDeliveries(() => {
      throw new Error('observer bug');
    });
    const handled: string[] = [];
    const sub = await manager.subscribe({ name: 'observed-badly', tenantId: 'initech' }, (event) => void handled.push(event.aggregateId));
    await store.appendEvent(created('i-1'), 'initech');
    await eventually(() => handled.includes('i-1'));
    await manager.waitUntilCaughtUp('observed-badly');
    await sub.stop();
    stopObserving();
    expect(await manager.countDeadLetters()).not.toHaveProperty('observed-badly');
  });
});
