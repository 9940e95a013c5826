import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { setRequestCorrelationId } from '../../logging/request-context';

/** Header that carries the correlation id in and out. */
export const CORRELATION_HEADER = 'x-correlation-id';
/** Request property holding the correlation id. */
export const CORRELATION_KEY = 'correlationId';

// Accept a caller's id only when it is short and printable: it ends up in
// logs and event metadata, so anything else is replaced rather than echoed.
const ACCEPTED = /^[A-Za-z0-9._:@/-]{1,128}$/;

/**
 * Takes `x-correlation-id` from the request (or generates a UUID), keeps it
 * on the request and echoes it in the response. Registered before the body
 * parser so that even a 413 or a malformed-JSON 400 carries it.
 */
export function correlationIdMiddleware(req: Request, res: Response, next: NextFunction): void {
  const incoming = req.header(CORRELATION_HEADER);
  const id = incoming && ACCEPTED.test(incoming) ? incoming : randomUUID();
  (req as unknown as Record<string, unknown>)[CORRELATION_KEY] = id;
  res.setHeader(CORRELATION_HEADER, id);
  setRequestCorrelationId(id);
  next();
}

/** The correlation id of a request (set by correlationIdMiddleware). */
export function correlationIdOf(req: unknown): string | undefined {
  return (req as Record<string, unknown> | undefined)?.[CORRELATION_KEY] as string | undefined;
}
