import { INestApplicationContext, Injectable, Logger } from '@nestjs/common';
import { Client } from 'pg';
import { EventProjection } from '../projections/event-projection.decorator';
import { ProjectionHandler } from '../projections/projection-handler';
import { ProjectionManager } from '../projections/projection-manager';
import { EventStoreService } from '../store/event-store.service';
import { SubscriptionManager } from '../subscriptions/subscription-manager';
import { eventually, openDeliveryApp } from '../subscriptions/testing-fixtures/delivery-app';
import { describeEachBackend } from '../testing/describe-each-backend';
import { TEST_SERVER_URL, TestDatabase, createTestDatabase } from '../testing/test-database';
import { NewDomainEvent, StoredDomainEvent } from '../types/stored-domain-event';
import { HorizonMonitor } from './horizon-monitor';

const placed = (aggregateId: string): NewDomainEvent => ({
  aggregateType: 'Order',
  aggregateId,
  eventType: 'OrderPlaced',
  data: { aggregateId },
});

/** Counts what it applied; its read model is this array. */
const projected: string[] = [];
const slow = { applyMs: 0 };
@Injectable()
@EventProjection({ name: 'horizon-orders', tenantId: 'hz', batchSize: 10 })
class OrdersProjection implements ProjectionHandler {
  async apply(event: StoredDomainEvent): Promise<void> {
    if (slow.applyMs) await new Promise((r) => setTimeout(r, slow.applyMs));
    projected.push(event.aggregateId);
  }
  async reset(): Promise<void> {
    projected.length = 0;
  }
}

/** A client with a transaction that has taken an id and stays open until `end`. */
async function openTransaction(url: string, applicationName: string, statement = 'SELECT pg_current_xact_id()') {
  const client = new Client({ connectionString: url, application_name: applicationName });
  await client.connect();
  await client.query('BEGIN');
  await client.query(statement);
  return { client, end: async () => (await client.query('COMMIT'), await client.end()) };
}

async function drain(store: EventStoreService, tenantId: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const e of store.streamEvents({ tenantId })) ids.push(e.aggregateId);
  return ids;
}

async function pageAll(store: EventStoreService, tenantId: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page = await store.queryEvents(tenantId, {}, { limit: 2, cursor });
    ids.push(...page.items.map((e) => e.aggregateId));
    cursor = page.nextCursor;
  } while (cursor);
  return ids;
}

// Other databases and a second connection exist only on a server; PGlite is
// one database and one process (its horizon is the plain xmin, decision 0004).
describeEachBackend(
  'read horizon scoped to the store database',
  (mode) => {
    let db: TestDatabase;
    let app: INestApplicationContext;
    let store: EventStoreService;
    beforeAll(async () => {
      db = await createTestDatabase(mode);
      app = await openDeliveryApp(db, [OrdersProjection], { horizonWarningSeconds: 0.3, horizonCheckIntervalMs: 0 });
      store = app.get(EventStoreService);
    });
    afterAll(async () => {
      await app?.close();
      await db?.drop();
    });

    it('delivers to a subscriber, a projection, streamEvents and queryEvents while a transaction is open in another database', async () => {
      const received: string[] = [];
      const sub = await app
        .get(SubscriptionManager)
        .subscribe({ name: 'horizon-sub', tenantId: 'hz' }, (e) => void received.push(e.aggregateId));
      const foreign = await openTransaction(TEST_SERVER_URL, 'horizon-test-foreign');
      try {
        const started = Date.now();
        await store.appendEvents([placed('o-1'), placed('o-2'), placed('o-3')], 'hz');
        await eventually(() => received.length === 3 && projected.length === 3, 5000, 'delivery past the foreign transaction');
        expect(Date.now() - started).toBeLessThan(5000);
        expect(received).toEqual(['o-1', 'o-2', 'o-3']);
        expect(projected).toEqual(['o-1', 'o-2', 'o-3']);
        expect(await drain(store, 'hz')).toEqual(['o-1', 'o-2', 'o-3']);
        expect(await pageAll(store, 'hz')).toEqual(['o-1', 'o-2', 'o-3']);
        expect(await store.getHorizonLag()).toMatchObject({ lagSeconds: 0, stalled: false, holder: null });
      } finally {
        await foreign.end();
        await sub.stop();
      }
      expect(await app.get(ProjectionManager).getLag('horizon-orders')).toMatchObject({ eventsBehind: 0 });
    });

    it('still waits for a late-committing writer of this database, and names it once it holds readers back too long', async () => {
      const warn = jest.spyOn(Logger.prototype, 'warn');
      await store.appendEvent(placed('w-before'), 'hw');
      const local = await openTransaction(db.databaseUrl!, 'horizon-test-stuck', 'SELECT pg_current_xact_id(), 42 AS stuck_marker');
      try {
        await store.appendEvent(placed('w-after'), 'hw');
        // w-after committed, but a transaction of this database began before it: readers stop there.
        expect(await drain(store, 'hw')).toEqual(['w-before']);
        expect(await pageAll(store, 'hw')).toEqual(['w-before']);
        await new Promise((r) => setTimeout(r, 400));
        const lag = await app.get(HorizonMonitor).check();
        expect(lag.stalled).toBe(true);
        expect(lag.lagSeconds).toBeGreaterThan(0.3);
        expect(lag.holder).toMatchObject({
          pid: expect.any(Number),
          applicationName: 'horizon-test-stuck',
          kind: 'client backend',
          ageExact: true,
          firstStatement: expect.stringContaining('stuck_marker'),
        });
        const logged = warn.mock.calls.map(([message]) => String(message)).find((m) => m.includes('held back'));
        expect(logged).toMatch(new RegExp(`pid ${lag.holder!.pid}.*open \\d+\\.\\d s.*application 'horizon-test-stuck'.*stuck_marker`));
      } finally {
        await local.end();
        warn.mockRestore();
      }
      expect(await drain(store, 'hw')).toEqual(['w-before', 'w-after']);
      expect(await store.getHorizonLag()).toMatchObject({ lagSeconds: 0, holder: null });
    });

    // One statement whose snapshot lists `ending` as running; `ending` commits
    // while the statement sleeps, so the horizon is computed after it ended.
    async function horizonAcross(ending: { end: () => Promise<void> }, isolation: 'read committed' | 'repeatable read') {
      const reader = new Client({ connectionString: db.databaseUrl });
      await reader.connect();
      try {
        await reader.query(`BEGIN ISOLATION LEVEL ${isolation.toUpperCase()}`);
        const statement = reader.query<{ horizon: string; newest: string }>(
          `SELECT pg_sleep(0.6) IS NULL AS slept, event_store_read_horizon()::text AS horizon,
                  (SELECT max(transaction_id) FROM stored_domain_events)::text AS newest`,
        );
        await new Promise((r) => setTimeout(r, 200));
        await ending.end();
        const [row] = (await statement).rows;
        await reader.query('COMMIT');
        return { horizon: BigInt(row.horizon), newest: BigInt(row.newest) };
      } finally {
        await reader.end();
      }
    }

    it('does not step back below committed events when a transaction of another database ends as the horizon is computed', async () => {
      const foreign = await openTransaction(TEST_SERVER_URL, 'horizon-test-ending');
      await store.appendEvent(placed('after-foreign'), 'he');
      const { horizon, newest } = await horizonAcross(foreign, 'read committed');
      expect(newest).toBeLessThan(horizon);
      expect(await pageAll(store, 'he')).toEqual(['after-foreign']);
    });

    it('still stops at a transaction of this database that committed events as the horizon is computed, in either isolation', async () => {
      for (const isolation of ['read committed', 'repeatable read'] as const) {
        const local = await openTransaction(
          db.databaseUrl!,
          'horizon-test-late-writer',
          `INSERT INTO stored_domain_events (event_id, tenant_id, aggregate_type, aggregate_id, aggregate_version, event_type, occurred_at, data)
           VALUES (gen_random_uuid(), 'hl', 'Order', 'late-${isolation.replace(' ', '-')}', 1, 'OrderPlaced', now(), '{}')
           RETURNING transaction_id`,
        );
        const { horizon } = await horizonAcross(local, isolation);
        const { newest } = await horizonAcross({ end: async () => undefined }, 'read committed');
        expect(horizon).toBeLessThanOrEqual(newest);
      }
    });

    it('holds other readers back for one projection chunk at most while a projection rebuilds', async () => {
      await store.appendEvents(
        Array.from({ length: 57 }, (_, i) => placed(`r-${i}`)),
        'hz',
      );
      await app.get(ProjectionManager).waitUntilCaughtUp('horizon-orders');
      let receivedAt = 0;
      const sub = await app
        .get(SubscriptionManager)
        .subscribe({ name: 'horizon-rebuild-sub', tenantId: 'hz-other' }, () => void (receivedAt = Date.now()));
      slow.applyMs = 25; // 10 events a chunk: each chunk's transaction stays open about 250 ms
      let appended: Promise<unknown> | undefined;
      try {
        const { processed } = await app.get(ProjectionManager).rebuild('horizon-orders', {
          onProgress: () => void (appended ??= store.appendEvent(placed('during-rebuild'), 'hz-other')),
        });
        const rebuiltAt = Date.now();
        expect(processed).toBe(60);
        await appended;
        // Delivered while the rebuild was still replaying, not after it.
        await eventually(() => receivedAt > 0, 5000, 'delivery during the rebuild');
        expect(receivedAt).toBeLessThan(rebuiltAt);
      } finally {
        slow.applyMs = 0;
        await sub.stop();
      }
    });
  },
  ['server'],
);
