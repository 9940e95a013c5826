import { trace } from '@opentelemetry/api';
import { startTracing, stopTracing, tracingRequested } from './tracing';

describe('tracingRequested', () => {
  it('is off by default and on for an OTLP endpoint or OTEL_TRACES_EXPORTER=otlp', () => {
    expect(tracingRequested({})).toBe(false);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(true);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' })).toBe(true);
    expect(tracingRequested({ OTEL_TRACES_EXPORTER: 'otlp' })).toBe(true);
  });

  it('stays off when told to, whatever else is set', () => {
    expect(tracingRequested({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(false);
    expect(tracingRequested({ OTEL_SDK_DISABLED: 'true', OTEL_TRACES_EXPORTER: 'otlp' })).toBe(false);
    expect(tracingRequested({ OTEL_TRACES_EXPORTER: 'console' })).toBe(false);
  });
});

describe('startTracing', () => {
  afterEach(async () => {
    await stopTracing();
    trace.disable();
  });

  it('registers nothing when not asked: spans stay non-recording', () => {
    expect(startTracing({})).toBeUndefined();
    expect(trace.getTracer('t').startSpan('x').isRecording()).toBe(false);
  });

  it('registers a provider that records spans when an endpoint is set, once', () => {
    const provider = startTracing({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9', OTEL_SERVICE_NAME: 'svc-test' });
    expect(provider).toBeDefined();
    expect(startTracing({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' })).toBe(provider);
    const span = trace.getTracer('t').startSpan('x');
    expect(span.isRecording()).toBe(true);
    expect((span as unknown as { resource: { attributes: Record<string, unknown> } }).resource.attributes['service.name']).toBe('svc-test');
  });
});
