import { AsyncResource } from 'node:async_hooks';
import { Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

// Probes come every few seconds: their lines are debug, not log.
const PROBES = new Set(['/api/health', '/api/metrics']);

/**
 * One line per finished request: method, route template (never the raw URL,
 * which may carry ids), status and duration. The `finish` listener is bound
 * to the request's async context, so the line carries its correlation id and
 * tenant like every other line of the request.
 */
export function requestLogMiddleware(): (req: Request, res: Response, next: NextFunction) => void {
  const logger = new Logger('HTTP');
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on(
      'finish',
      AsyncResource.bind(() => {
        const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        const line = `${req.method} ${route} ${res.statusCode} ${ms.toFixed(1)} ms`;
        if (PROBES.has(route)) logger.debug(line);
        else logger.log(line);
      }),
    );
    next();
  };
}
