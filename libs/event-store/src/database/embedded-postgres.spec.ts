import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('EmbeddedPostgres', () => {
  afterEach(() => jest.resetModules());

  it('rejects embedded mode without PGlite installed with EmbeddedDatabaseUnavailableError naming the packages to install', async () => {
    // Stands in for an app that did not install the optional peer: requiring it fails as Node does.
    jest.doMock('@electric-sql/pglite', () => {
      throw Object.assign(new Error("Cannot find module '@electric-sql/pglite'"), { code: 'MODULE_NOT_FOUND' });
    });
    const { EmbeddedPostgres } = await import('./embedded-postgres');
    const dataDir = mkdtempSync(join(tmpdir(), 'es-no-pglite-'));
    try {
      const attempt = EmbeddedPostgres.start(join(dataDir, 'db'), 1);
      await expect(attempt).rejects.toMatchObject({
        name: 'EmbeddedDatabaseUnavailableError',
        code: 'EMBEDDED_DATABASE_UNAVAILABLE',
        message: expect.stringContaining('npm install @electric-sql/pglite@^0.5.14 @electric-sql/pglite-socket@^0.2.17'),
      });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
