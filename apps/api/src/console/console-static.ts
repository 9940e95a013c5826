import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { NestExpressApplication } from '@nestjs/platform-express';

/**
 * What the console's pages may load: only this origin. No inline script or
 * style, no eval (htm parses templates without it), no framing.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

/**
 * The console's static files: `apps/api/console` beside the sources, found
 * from here when run by ts-node/Jest (`src/console`) and from the build
 * (`dist/apps/api/src/console`), which does not copy them.
 */
export function consoleAssetsDir(): string {
  const candidates = [join(__dirname, '..', '..', 'console'), join(__dirname, '..', '..', '..', '..', '..', 'apps', 'api', 'console')];
  const found = candidates.find((dir) => existsSync(join(dir, 'index.html')));
  if (!found) throw new Error(`The console's files are missing: looked in ${candidates.join(', ')}`);
  return found;
}

/**
 * Serves the audit console at /console (outside the /api prefix): its own
 * files, and Preact + htm from the installed `htm` package (one ES module,
 * no build step), every answer with the console's Content-Security-Policy.
 */
export function serveConsole(app: NestExpressApplication): void {
  app.use('/console', (_req: unknown, res: { setHeader(name: string, value: string): void }, next: () => void) => {
    res.setHeader('Content-Security-Policy', CONSOLE_CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    next();
  });
  // htm/preact's CommonJS entry sits beside standalone.module.js (Preact and htm in one ES module).
  const htmDir = dirname(require.resolve('htm/preact'));
  app.useStaticAssets(htmDir, { prefix: '/console/vendor/htm/', index: false, fallthrough: false });
  app.useStaticAssets(consoleAssetsDir(), { prefix: '/console/', index: 'index.html' });
}
