import { ClsMiddleware } from 'nestjs-cls';
import type { NextFunction, Request, Response } from 'express';

/**
 * Opens the request's context (nestjs-cls, on AsyncLocalStorage) around
 * everything that handles it: mounted first with app.use, before Nest's own
 * middleware, so that even a 413 from the body parser is handled inside it.
 * It holds only what request-context.ts sets (no request object, no proxy providers).
 */
export function requestContextMiddleware(): (req: Request, res: Response, next: NextFunction) => Promise<void> {
  return new ClsMiddleware({ saveReq: false, saveRes: false, resolveProxyProviders: false, initializePlugins: false }).use;
}
