import { SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import { EVENT_STORE_SPAN_ATTRIBUTES } from '@nest-event-store/core';
import type { NextFunction, Request, Response } from 'express';
import { correlationIdOf } from '../common/correlation/correlation-id.middleware';
import { PRINCIPAL_KEY } from '../common/auth/current-principal.decorator';
import { Principal } from '../common/auth/principal';

/** Instrumentation scope of the app's HTTP spans. */
export const HTTP_TRACER_NAME = 'event-store-api/http';

/**
 * A server span per request, parent of every store span the request causes
 * (appends, reads). It continues the caller's trace from a W3C
 * `traceparent` header, carries the request's correlation id (the same
 * value the events' metadata and the store's delivery spans carry, which
 * links a request to the deliveries it caused) and, once the token is
 * verified, the tenant. Named by route template when the request finishes.
 * A no-op while no OpenTelemetry SDK is registered.
 */
export function httpTracingMiddleware(req: Request, res: Response, next: NextFunction): void {
  const parent = propagation.extract(context.active(), req.headers);
  const span = trace.getTracer(HTTP_TRACER_NAME).startSpan(
    `${req.method}`,
    {
      kind: SpanKind.SERVER,
      attributes: {
        'http.request.method': req.method,
        'url.path': req.path,
        [EVENT_STORE_SPAN_ATTRIBUTES.correlationId]: correlationIdOf(req) ?? '',
      },
    },
    parent,
  );
  if (!span.isRecording()) return next();
  const end = () => {
    const route = (req.route as { path?: string } | undefined)?.path;
    if (route) {
      span.updateName(`${req.method} ${route}`);
      span.setAttribute('http.route', route);
    }
    // The tenant is known once the guard has verified the token, after this middleware.
    const tenantId = (req as unknown as Record<string, Principal | undefined>)[PRINCIPAL_KEY]?.tenantId;
    if (tenantId) span.setAttribute(EVENT_STORE_SPAN_ATTRIBUTES.tenantId, tenantId);
    span.setAttribute('http.response.status_code', res.statusCode);
    if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  };
  res.once('finish', end);
  // A client that hangs up before the answer: the span ends anyway.
  res.once('close', () => {
    if (!res.writableFinished) end();
  });
  context.with(trace.setSpan(parent, span), next);
}
