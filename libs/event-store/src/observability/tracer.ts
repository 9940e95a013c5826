import { Attributes, INVALID_SPAN_CONTEXT, Span, SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { ATTR } from './span-attributes';

/** Instrumentation scope of the store's spans (the package name). */
export const TRACER_NAME = '@nest-event-store/core';

// Looked up at each span, not once at load: a tracer taken from the global
// proxy binds for good to the first SDK it meets, so an SDK registered again
// (tests, a restart in one process) would never see the store's spans.
// Without an SDK every span is a non-recording no-op (decision 0026).
const tracer = () => trace.getTracer(TRACER_NAME);

/** How a span is started: its attributes, kind, and whether it starts a trace of its own. */
export interface SpanOptions {
  attributes?: Attributes;
  /** @default SpanKind.INTERNAL */
  kind?: SpanKind;
  /** Start a new trace instead of joining the active one (delivery runs on the worker's own clock). */
  root?: boolean;
  /**
   * Only as a child of an active span; otherwise `work` runs untraced. For
   * frequent background reads (a subscription's polling) that would otherwise
   * make one trace per poll.
   */
  onlyInTrace?: boolean;
}

const UNTRACED = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

/**
 * Runs `work` inside an active span named `name`: a failure marks the span
 * as an error, records the exception and is rethrown; the span always ends.
 */
export function withSpan<T>(name: string, options: SpanOptions, work: (span: Span) => Promise<T>): Promise<T> {
  if (options.onlyInTrace && !trace.getSpan(context.active())) return work(UNTRACED);
  return tracer().startActiveSpan(
    name,
    { attributes: options.attributes, kind: options.kind ?? SpanKind.INTERNAL, root: options.root },
    (span) =>
      work(span).then(
        (value) => {
          span.end();
          return value;
        },
        (error: unknown) => {
          span.recordException(error instanceof Error ? error : String(error));
          span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
          span.end();
          throw error;
        },
      ),
  );
}

/** A read in a span of its own, which records how many events came back (`rows`, an array or `{ rows }`). */
export function tracedRead<T extends unknown[] | { rows: unknown[] }>(
  name: string,
  attributes: Attributes,
  read: () => Promise<T>,
  options: Omit<SpanOptions, 'attributes'> = {},
): Promise<T> {
  return withSpan(name, { ...options, attributes }, async (span) => {
    const result = await read();
    span.setAttribute(ATTR.eventCount, Array.isArray(result) ? result.length : result.rows.length);
    return result;
  });
}
