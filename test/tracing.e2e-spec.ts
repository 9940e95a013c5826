import { SpanKind, context, propagation, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { SubscriptionManager } from '@nest-event-store/core';
import { describeEachBackend } from '@nest-event-store/core/testing';
import { appendVia, newAggregateId } from './helpers/events';
import { TestApp, openTestApp } from './helpers/test-app';
import { OBSERVED, ObservedAppModule } from './observability/observed-app.module';

// The app with an OpenTelemetry SDK registered (as main.ts does when OTEL_* asks for it), spans kept in memory.
describeEachBackend(
  'tracing: an HTTP request and the store work it causes',
  (mode) => {
    const exporter = new InMemorySpanExporter();
    let provider: NodeTracerProvider;
    let t: TestApp;
    beforeAll(async () => {
      provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
      provider.register();
      t = await openTestApp(mode, {}, { imports: [ObservedAppModule] });
    }, 180_000);
    afterAll(async () => {
      await t?.close();
      await provider?.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    });

    const named = (name: string): ReadableSpan[] => exporter.getFinishedSpans().filter((s) => s.name === name);

    it('makes a server span per request, parent of the append span, both carrying the correlation id; delivery carries it too', async () => {
      const { name, tenantId } = OBSERVED.stoppable;
      const [stored] = await t
        .http()
        .post(`/api/aggregates/${newAggregateId('trace')}/events`)
        .set('Authorization', `Bearer ${t.token(tenantId, ['writer'])}`)
        .set('x-correlation-id', 'trace-corr-1')
        .send({ aggregateType: 'Requirement', events: [{ eventType: 'RequirementCreated', data: {} }] })
        .then((res) => {
          expect(res.status).toBe(201);
          return res.body.events;
        });
      await t.app.get(SubscriptionManager).waitUntilCaughtUp(name);

      const [server] = named('POST /api/aggregates/:aggregateId/events');
      expect(server.kind).toBe(SpanKind.SERVER);
      expect(server.attributes).toMatchObject({
        'http.request.method': 'POST',
        'http.route': '/api/aggregates/:aggregateId/events',
        'http.response.status_code': 201,
        'event_store.correlation_id': 'trace-corr-1',
        'event_store.tenant_id': tenantId,
      });
      const [append] = named('event_store.append');
      expect(append.spanContext().traceId).toBe(server.spanContext().traceId);
      expect(append.parentSpanContext?.spanId).toBe(server.spanContext().spanId);
      expect(append.attributes).toMatchObject({ 'event_store.correlation_id': 'trace-corr-1', 'event_store.event_count': 1 });

      // Delivery runs later, in a trace of its own, found by the same correlation id.
      const delivered = named('event_store.deliver').find(
        (s) => s.attributes['event_store.subscription'] === name && s.attributes['event_store.global_position'] === stored.globalPosition,
      );
      expect(delivered?.attributes['event_store.correlation_id']).toBe('trace-corr-1');
      expect(delivered?.spanContext().traceId).not.toBe(server.spanContext().traceId);
    });

    it("continues a caller's trace from its traceparent header", async () => {
      exporter.reset();
      const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
      const res = await t.http().get('/api/health').set('traceparent', `00-${traceId}-00f067aa0ba902b7-01`);
      expect(res.status).toBe(200);
      const [server] = named('GET /api/health');
      expect(server.spanContext().traceId).toBe(traceId);
      expect(server.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    });

    it('reads through the API appear as children of the request', async () => {
      exporter.reset();
      const token = t.token('trace-read-co', ['writer', 'auditor']);
      const id = newAggregateId('read');
      await appendVia(t, token, id, [{ data: {} }]);
      exporter.reset();
      const res = await t.http().get(`/api/aggregates/${id}/events`).set('Authorization', `Bearer ${token}`);
      expect(res.status).toBe(200);
      const [server] = named('GET /api/aggregates/:aggregateId/events');
      const reads = exporter.getFinishedSpans().filter((s) => s.name.startsWith('event_store.read_stream'));
      expect(reads.length).toBeGreaterThan(0);
      for (const read of reads) expect(read.parentSpanContext?.spanId).toBe(server.spanContext().spanId);
    });
  },
  ['server'],
);
