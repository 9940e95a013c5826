import { DatabaseMode, SERVER_MODE, serverReachable } from './test-database';

/**
 * Runs one contract suite against every backend: embedded PGlite and the
 * PostgreSQL server. When the server is unreachable its suite fails if
 * `EVENT_STORE_TEST_SERVER=required` (CI), and is skipped with a visible
 * reason otherwise, so that a newcomer without a server still runs the rest.
 */
export function describeEachBackend(
  name: string,
  suite: (mode: DatabaseMode) => void,
  modes: DatabaseMode[] = ['embedded', 'server'],
): void {
  for (const mode of modes) {
    if (mode === 'server' && SERVER_MODE === 'off') {
      describe.skip(`${name} [server: EVENT_STORE_TEST_SERVER=off]`, () => suite(mode));
      continue;
    }
    describe(`${name} [${mode}]`, () => {
      if (mode === 'server') {
        beforeAll(async () => {
          if (!(await serverReachable())) {
            const message = 'PostgreSQL test server unreachable (TEST_DATABASE_URL / postgres://root@127.0.0.1:5432)';
            if (SERVER_MODE === 'required') throw new Error(`${message} and EVENT_STORE_TEST_SERVER=required`);
            console.warn(`${message}: server-mode assertions will fail; set EVENT_STORE_TEST_SERVER=off to skip them`);
          }
        });
      }
      suite(mode);
    });
  }
}
