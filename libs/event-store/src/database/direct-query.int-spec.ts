import { Client } from 'pg';
import { ConcurrencyError } from '../errors/concurrency.error';
import { describeEachBackend } from '../testing/describe-each-backend';
import { TestStore, openTestStore } from '../testing/test-store';

const BACKEND_SQL = 'SELECT pg_backend_pid() AS pid';

// One pooled connection: which backend answers shows whether it was kept or replaced.
describeEachBackend(
  "single statements on the driver's pool",
  (mode) => {
    let t: TestStore;
    beforeAll(async () => {
      t = await openTestStore(mode, { poolSize: 1 });
    });
    afterAll(() => t?.close());

    const backend = async () => (await t.database.query<{ pid: number }>(BACKEND_SQL, [], 'test'))[0].pid;
    const append = (expectedVersion: number) =>
      t.store.appendEvent({ aggregateType: 'Doc', aggregateId: 'd-1', eventType: 'DocWritten', data: {} }, 'acme', { expectedVersion });

    it('keeps the connection after an error the database answered (a conflict)', async () => {
      await append(0);
      const before = await backend();
      await expect(append(0)).rejects.toBeInstanceOf(ConcurrencyError);
      expect(await backend()).toBe(before);
    });

    it('discards a connection the server terminated, and the next statement runs on a new one', async () => {
      const before = await backend();
      const admin = new Client({ connectionString: t.testDatabase.databaseUrl });
      await admin.connect();
      try {
        await admin.query('SELECT pg_terminate_backend($1)', [before]);
      } finally {
        await admin.end();
      }
      // The first statement may meet the dead connection (StoreUnavailableError); the one after runs.
      const after = await backend().catch(() => backend());
      expect(after).not.toBe(before);
      expect((await append(1)).aggregateVersion).toBe(2);
    });
  },
  ['server'],
);
