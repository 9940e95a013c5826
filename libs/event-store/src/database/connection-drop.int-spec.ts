import { Client } from 'pg';
import { StoreUnavailableError } from '../errors/store-unavailable.error';
import { describeEachBackend } from '../testing/describe-each-backend';
import { TestStore, openTestStore } from '../testing/test-store';
import { NewDomainEvent } from '../types/stored-domain-event';

const event = (aggregateId: string, data: Record<string, unknown>): NewDomainEvent => ({
  aggregateType: 'Ledger',
  aggregateId,
  eventType: 'Booked',
  data,
});

// Needs a second connection holding a lock and pg_terminate_backend: server only.
describeEachBackend(
  'a connection dropped mid-append',
  (mode) => {
    let t: TestStore;
    let locker: Client;
    beforeAll(async () => {
      t = await openTestStore(mode);
      locker = new Client({ connectionString: t.testDatabase.databaseUrl });
      await locker.connect();
    });
    afterAll(async () => {
      await locker?.end();
      await t?.close();
    });

    async function backendOfBlockedAppend(): Promise<number> {
      for (let i = 0; i < 200; i++) {
        // The locker is inside a transaction, which would keep reading its first snapshot of the activity view.
        await locker.query('SELECT pg_stat_clear_snapshot()');
        const { rows } = await locker.query(
          `SELECT pid FROM pg_stat_activity
            WHERE datname = current_database() AND application_name = 'nest-event-store'
              AND state = 'active' AND query LIKE '%event_store_append%' AND pid <> pg_backend_pid()`,
        );
        if (rows.length === 1) return rows[0].pid as number;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      throw new Error('the append never blocked on the stream lock');
    }

    it('rejects with StoreUnavailableError, writes nothing, and the store keeps working', async () => {
      await t.store.appendEvents([event('s-locked', { n: 1 }), event('s-locked', { n: 2 })], 'acme');

      await locker.query('BEGIN');
      await locker.query(`SELECT version FROM event_store_streams WHERE tenant_id = 'acme' AND aggregate_id = 's-locked' FOR UPDATE`);
      // 'a-free' sorts first, so its stream row is advanced before the append blocks on 's-locked'.
      const append = t.store.appendEvents([event('a-free', { n: 1 }), event('s-locked', { n: 3 }), event('s-locked', { n: 4 })], 'acme');
      const settled = append.catch((e: unknown) => e);
      const pid = await backendOfBlockedAppend();
      const { rows } = await locker.query('SELECT pg_terminate_backend($1) AS terminated', [pid]);
      expect(rows[0].terminated).toBe(true);

      const error = await settled;
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect(error).toMatchObject({ code: 'STORE_UNAVAILABLE', retryAfterSeconds: 1 });
      await locker.query('ROLLBACK');

      expect((await t.store.getEventsForAggregate('s-locked', 'acme')).map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }]);
      expect(await t.store.getEventsForAggregate('a-free', 'acme')).toEqual([]);
      const [streams] = await t.database.runInTenant('acme', (q) =>
        q.query(`SELECT count(*)::int AS n FROM event_store_streams WHERE aggregate_id = 'a-free'`),
      );
      expect(streams.n).toBe(0);

      // The pool replaced the dead connection: the next appends and reads work.
      for (let i = 0; i < 3; i++) await t.store.appendEvent(event('s-locked', { n: 3 + i }), 'acme', { expectedVersion: 2 + i });
      expect((await t.store.getEventsForAggregate('s-locked', 'acme')).map((e) => e.aggregateVersion)).toEqual([1, 2, 3, 4, 5]);
      await t.store.ping();
    });
  },
  ['server'],
);
