import { Test } from '@nestjs/testing';
import { Client } from 'pg';
import { EventStoreModule } from '../event-store.module';
import { EventStoreModuleOptions } from '../event-store.options';
import { EventStoreService } from '../store/event-store.service';
import { describeEachBackend } from '../testing/describe-each-backend';
import { TestDatabase, createTestDatabase } from '../testing/test-database';
import { TransactionHorizonError } from './transaction-horizon';

async function open(databaseUrl: string, options: EventStoreModuleOptions = {}) {
  const moduleRef = await Test.createTestingModule({ imports: [EventStoreModule.forRoot({ databaseUrl, ...options })] }).compile();
  return moduleRef.init();
}

// Needs an existing server database to tamper with between two starts.
describeEachBackend(
  'startup transaction horizon check',
  (mode) => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase(mode);
    });
    afterAll(() => db?.drop());

    it('refuses to start when stored transaction ids are ahead of the server (restored dump)', async () => {
      const first = await open(db.databaseUrl!);
      await first
        .get(EventStoreService)
        .appendEvent({ aggregateType: 'Order', aggregateId: 'o-1', eventType: 'OrderPlaced', data: {} }, 'acme');
      await first.close();

      // As superuser (RLS bypassed; the trigger guards only UPDATE/DELETE/TRUNCATE),
      // store a row whose transaction id a younger cluster has not reached.
      const admin = new Client({ connectionString: db.databaseUrl });
      await admin.connect();
      try {
        await admin.query(`
          INSERT INTO stored_domain_events (event_id, tenant_id, aggregate_type, aggregate_id, aggregate_version, event_type, occurred_at, data, transaction_id)
          VALUES (gen_random_uuid(), 'acme', 'Order', 'o-restored', 1, 'OrderPlaced', now(), '{}',
                  ((pg_current_xact_id()::text)::bigint + 1000000)::text::xid8)`);
      } finally {
        await admin.end();
      }

      const attempt = open(db.databaseUrl!);
      await expect(attempt).rejects.toBeInstanceOf(TransactionHorizonError);
      await expect(open(db.databaseUrl!)).rejects.toMatchObject({
        code: 'TRANSACTION_HORIZON',
        message: expect.stringMatching(/restored from a dump/),
      });

      // The check can be switched off (e.g. to repair the data from inside the app).
      const unchecked = await open(db.databaseUrl!, { checkTransactionHorizon: false });
      await unchecked.get(EventStoreService).ping();
      await unchecked.close();
    });
  },
  ['server'],
);
