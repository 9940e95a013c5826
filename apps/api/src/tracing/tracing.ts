import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

/** Service name of the spans when OTEL_SERVICE_NAME is not set. */
export const DEFAULT_SERVICE_NAME = 'event-store-api';

let registered: NodeTracerProvider | undefined;

/**
 * Whether the environment asks for OTLP trace export: OTEL_EXPORTER_OTLP_ENDPOINT
 * or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT set, or OTEL_TRACES_EXPORTER=otlp
 * (OTEL_TRACES_EXPORTER=none turns it off whatever else is set).
 */
export function tracingRequested(env: NodeJS.ProcessEnv): boolean {
  const exporters = (env.OTEL_TRACES_EXPORTER ?? '').split(',').map((e) => e.trim());
  if (exporters.includes('none') || env.OTEL_SDK_DISABLED === 'true') return false;
  return exporters.includes('otlp') || Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

/**
 * Registers the OpenTelemetry SDK with an OTLP/HTTP exporter (batched) when
 * the environment asks for it; off by default, when the store's and the
 * app's spans stay no-ops. The exporter reads the standard OTEL_EXPORTER_OTLP_*
 * variables (endpoint, headers, timeout).
 * @returns the registered provider, or undefined when tracing is off
 */
export function startTracing(env: NodeJS.ProcessEnv = process.env): NodeTracerProvider | undefined {
  if (registered || !tracingRequested(env)) return registered;
  const provider = new NodeTracerProvider({
    resource: defaultResource().merge(resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME || DEFAULT_SERVICE_NAME })),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  provider.register();
  registered = provider;
  return provider;
}

/** Exports the spans still buffered and unregisters the SDK (at shutdown; nothing when tracing is off). */
export async function stopTracing(): Promise<void> {
  const provider = registered;
  registered = undefined;
  await provider?.shutdown();
}
