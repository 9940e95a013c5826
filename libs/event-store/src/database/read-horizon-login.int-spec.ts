import { randomBytes, randomUUID } from 'node:crypto';
import { INestApplicationContext, Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Client } from 'pg';
import { EventStoreModule } from '../event-store.module';
import { describeEachBackend } from '../testing/describe-each-backend';
import { TEST_SERVER_URL, withServerAdmin } from '../testing/test-database';
import { TestStore, openTestStore } from '../testing/test-store';
import { EventStoreService } from '../store/event-store.service';
import { NewDomainEvent } from '../types/stored-domain-event';
import { HorizonMonitor } from './horizon-monitor';

const placed = (aggregateId: string): NewDomainEvent => ({ aggregateType: 'Order', aggregateId, eventType: 'OrderPlaced', data: {} });

async function drain(store: EventStoreService, tenantId: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const e of store.streamEvents({ tenantId })) ids.push(e.aggregateId);
  return ids;
}

const admin = withServerAdmin;

// A second login on the server: an ordinary role (no superuser, no
// pg_read_all_stats), member only of the store's runtime group role, as a production
// runtime login would be. PGlite has one built-in superuser.
describeEachBackend(
  'read horizon under a login without pg_read_all_stats',
  (mode) => {
    const login = `es_horizon_login_${randomBytes(4).toString('hex')}`;
    let owner: TestStore;
    let runtime: INestApplicationContext | undefined;
    let warnings: string[] = [];
    beforeAll(async () => {
      owner = await openTestStore(mode, { delivery: { enabled: false } });
      // The name is generated from hex only.
      await admin((c) => c.query(`CREATE ROLE ${login} LOGIN NOSUPERUSER IN ROLE event_store_runtime`));
      const url = new URL(owner.testDatabase.databaseUrl!);
      url.username = login;
      const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(function (this: Logger, message: unknown) {
        warnings.push(String(message));
      });
      try {
        const options = { databaseUrl: url.toString(), migrationsRun: false, delivery: { enabled: false }, horizonCheckIntervalMs: 0 };
        runtime = await (await Test.createTestingModule({ imports: [EventStoreModule.forRoot(options)] }).compile()).init();
      } finally {
        warn.mockRestore();
      }
    });
    afterAll(async () => {
      await runtime?.close();
      await owner?.close();
      await admin((c) => c.query(`DROP ROLE IF EXISTS ${login}`));
    });

    it('warns at startup that a stuck transaction cannot be fully described, and keeps the horizon scoped', async () => {
      expect(warnings.some((w) => w.includes('pg_read_all_stats'))).toBe(true);
      expect(warnings.some((w) => w.includes('falls back to the whole cluster'))).toBe(false);
      warnings = [];
    });

    it('is not delayed by a transaction in another database, and never skips a late writer of its own', async () => {
      const store = runtime!.get(EventStoreService);
      const foreign = new Client({ connectionString: TEST_SERVER_URL });
      const writer = new Client({ connectionString: owner.testDatabase.databaseUrl, application_name: 'late-writer' });
      await foreign.connect();
      await writer.connect();
      try {
        await foreign.query('BEGIN');
        await foreign.query('SELECT pg_current_xact_id()');
        await store.appendEvent(placed('first'), 'lg');
        expect(await drain(store, 'lg')).toEqual(['first']);

        // A writer of this database (another role) takes a position and holds its commit.
        await writer.query('BEGIN');
        await writer.query(`SELECT set_config('app.tenant_id', 'lg', true)`);
        const events = JSON.stringify([
          {
            i: 0,
            k: 1,
            event_id: randomUUID(),
            aggregate_type: 'Order',
            aggregate_id: 'late',
            event_type: 'OrderPlaced',
            event_version: 1,
            occurred_at: new Date().toISOString(),
            data: {},
            metadata: {},
          },
        ]);
        await writer.query(`SELECT 1 FROM event_store_append('lg', $1::jsonb, '{}'::jsonb)`, [events]);
        await store.appendEvent(placed('after'), 'lg');
        expect(await drain(store, 'lg')).toEqual(['first']);

        // Named by pid and application; its age and statement are not readable to this login.
        const lag = await runtime!.get(HorizonMonitor).getHorizonLag();
        expect(lag.holder).toMatchObject({
          pid: expect.any(Number),
          applicationName: 'late-writer',
          statement: null,
          startedAt: null,
          ageExact: false,
        });

        await writer.query('COMMIT');
        expect(await drain(store, 'lg')).toEqual(['first', 'late', 'after']);
      } finally {
        await foreign.query('ROLLBACK').catch(() => undefined);
        await writer.query('ROLLBACK').catch(() => undefined);
        await foreign.end();
        await writer.end();
      }
    });
  },
  ['server'],
);
