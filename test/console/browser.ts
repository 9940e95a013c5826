import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SERVER_MODE } from '@nest-event-store/core/testing';

/**
 * `CONSOLE_BROWSER`: `off` skips the browser tests; a path names the Chromium
 * to drive; unset finds `chromium` (Debian's package) on the PATH. A missing
 * browser fails the run (CI's `.ci/run` installs it), never skips it silently.
 */
export const BROWSER_SETTING = process.env.CONSOLE_BROWSER ?? '';

/** Where the browser tests leave their screenshots (git-ignored). */
export const ARTIFACTS_DIR = join(__dirname, '..', '..', 'artifacts', 'console');

/** The Chromium executable to drive, or an explanation of why there is none. */
export function findChromium(): { path: string } | { missing: string } {
  if (BROWSER_SETTING && BROWSER_SETTING !== 'off') {
    return existsSync(BROWSER_SETTING) ? { path: BROWSER_SETTING } : { missing: `CONSOLE_BROWSER=${BROWSER_SETTING} does not exist` };
  }
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    try {
      const path = execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
      if (path) return { path };
    } catch {
      // not on the PATH; try the next name
    }
  }
  const ci = SERVER_MODE === 'required' ? ' (EVENT_STORE_TEST_SERVER=required: CI must have it)' : '';
  return {
    missing: `No Chromium found${ci}: apt-get install -y chromium, or CONSOLE_BROWSER=/path/to/chrome, or CONSOLE_BROWSER=off to skip the browser tests`,
  };
}

/** Makes the screenshot folder and returns the path of one screenshot. */
export function artifactPath(name: string): string {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return join(ARTIFACTS_DIR, `${name}.png`);
}
