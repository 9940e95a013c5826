import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { eventStoreMigrations } from '@nest-event-store/core';
import { ProductionRolesDatabase, createProductionRolesDatabase, describeEachBackend } from '@nest-event-store/core/testing';
import { requirementsMigrations } from '../apps/api/src/requirements/requirements.migrations';

const run = promisify(execFile);
const root = join(__dirname, '..');

// README "Pointing it at a PostgreSQL server": an operator migrates ahead of a
// deploy with the TypeORM CLI (ormconfig.ts), as the schema owner, and gets
// exactly the schema the app would have built at startup.
describeEachBackend(
  'npm run migration:run (ormconfig.ts)',
  () => {
    let db: ProductionRolesDatabase;
    const migrate = () =>
      run('npm', ['run', '--silent', 'migration:run'], {
        cwd: root,
        env: { ...process.env, MIGRATIONS_DATABASE_URL: db.ownerUrl, DATABASE_URL: '', EVENT_STORE_ROLE_PREFIX: db.rolePrefix },
      });
    const asRuntime = async <T>(work: (c: Client) => Promise<T>): Promise<T> => {
      const client = new Client({ connectionString: db.runtimeUrl });
      await client.connect();
      try {
        return await work(client);
      } finally {
        await client.end();
      }
    };

    beforeAll(async () => {
      db = await createProductionRolesDatabase();
    });
    afterAll(() => db?.drop());

    it("applies the store's and the app's migrations to a fresh database, granting the app's table to the prefixed runtime role", async () => {
      await migrate();
      const applied = await asRuntime((c) => c.query<{ name: string }>('SELECT name FROM event_store_migrations ORDER BY timestamp'));
      const expected = [...eventStoreMigrations(db.rolePrefix), ...requirementsMigrations(db.rolePrefix)].map((m) => new m().name);
      expect(applied.rows.map((r) => r.name).sort()).toEqual([...expected].sort());
      expect(applied.rows.map((r) => r.name)).toEqual(
        expect.arrayContaining(['CreateRequirementStatusBoard1764100000000', 'GrantRequirementStatusBoard1764100000700']),
      );
      // The runtime login reaches the store's tables and the read model the app writes.
      const board = await asRuntime((c) => c.query('SELECT count(*)::integer AS n FROM requirement_status_board'));
      expect(board.rows).toEqual([{ n: 0 }]);
      const tables = await asRuntime((c) =>
        c.query<{ t: string }>(
          `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' AND table_name = ANY($1::text[])`,
          [['stored_domain_events', 'event_store_streams', 'event_store_subscriptions', 'requirement_status_board']],
        ),
      );
      expect(tables.rows.map((r) => r.t).sort()).toEqual([
        'event_store_streams',
        'event_store_subscriptions',
        'requirement_status_board',
        'stored_domain_events',
      ]);
    }, 180_000);

    it('is a no-op on an up-to-date database', async () => {
      const { stdout } = await migrate();
      expect(stdout).toContain('No migrations are pending');
    }, 180_000);
  },
  ['server'],
);

describe('package.json scripts', () => {
  // The schema is hand-written DDL (partial indexes, row-level security,
  // triggers, grants) that entities cannot describe: a generated migration
  // would only propose dropping it. ormconfig.ts says so.
  it('offers no migration:generate', () => {
    const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(Object.keys(scripts)).not.toContain('migration:generate');
    expect(scripts['migration:run']).toBeDefined();
  });
});
