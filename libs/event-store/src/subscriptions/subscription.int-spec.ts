import { INestApplicationContext } from '@nestjs/common';
import { EventStoreService } from '../store/event-store.service';
import { describeEachBackend } from '../testing/describe-each-backend';
import { TestDatabase, createTestDatabase } from '../testing/test-database';
import { StoredDomainEvent } from '../types/stored-domain-event';
import { SubscriptionManager } from './subscription-manager';
import { SubscriptionDefinitionError, SubscriptionNotFoundError } from './subscription.errors';
import { createDurableTestDatabase, eventually, openDeliveryApp } from './testing-fixtures/delivery-app';

const created = (aggregateId: string, data: Record<string, unknown> = {}) => ({
  aggregateType: 'Requirement',
  aggregateId,
  eventType: 'RequirementCreated',
  data,
});

/** (transactionId, globalPosition) as a comparable pair. */
const order = (e: StoredDomainEvent): [bigint, bigint] => [BigInt(e.transactionId), BigInt(e.globalPosition)];
const after = (a: [bigint, bigint], b: [bigint, bigint]) => a[0] > b[0] || (a[0] === b[0] && a[1] > b[1]);

describeEachBackend('durable subscriptions: dead letters and definitions', (mode) => {
  let db: TestDatabase;
  let app: INestApplicationContext;
  let manager: SubscriptionManager;
  let store: EventStoreService;
  beforeAll(async () => {
    db = await createTestDatabase(mode);
    app = await openDeliveryApp(db, []);
    manager = app.get(SubscriptionManager);
    store = app.get(EventStoreService);
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('parks an event after the configured attempts, moves on, and delivers it on retry', async () => {
    let healthy = false;
    const attempts = new Map<string, number>();
    const handled: string[] = [];
    const sub = await manager.subscribe(
      { name: 'poison-test', tenantId: 'acme', retry: { maxAttempts: 3, initialDelayMs: 5 } },
      (event) => {
        attempts.set(event.eventId, (attempts.get(event.eventId) ?? 0) + 1);
        if (event.data.poison && !healthy) throw new Error(`cannot handle ${event.aggregateId}`);
        handled.push(event.aggregateId);
      },
    );
    const [poison] = await store.appendEvents([created('p-1', { poison: true })], 'acme');
    await store.appendEvents([created('p-2'), created('p-3', {})], 'acme');
    await store.appendEvent(created('other-tenant'), 'globex');
    await manager.waitUntilCaughtUp('poison-test');
    expect(handled).toEqual(['p-2', 'p-3']);
    expect(attempts.get(poison.eventId)).toBe(3);
    const parked = await manager.listDeadLetters('poison-test');
    expect(parked).toHaveLength(1);
    expect(parked[0]).toMatchObject({
      subscriptionName: 'poison-test',
      eventId: poison.eventId,
      tenantId: 'acme',
      attempts: 3,
      globalPosition: poison.globalPosition,
    });
    expect(parked[0].error).toContain('cannot handle p-1');

    expect(await manager.retryDeadLetters('poison-test')).toEqual({ succeeded: 0, failed: 1 });
    expect((await manager.listDeadLetters('poison-test'))[0].attempts).toBe(4);
    healthy = true;
    expect(await manager.retryDeadLetters('poison-test')).toEqual({ succeeded: 1, failed: 0 });
    expect(handled).toEqual(['p-2', 'p-3', 'p-1']);
    expect(await manager.listDeadLetters('poison-test')).toEqual([]);
    await sub.stop();
  });

  it('starts from now when asked, skipping earlier events', async () => {
    await store.appendEvent(created('before-now'), 'acme');
    // 'now' is the newest event a gap-safe reader sees; wait until no older transaction hides this one.
    const visible = async () => {
      for await (const e of store.streamEvents({ tenantId: 'acme' })) if (e.aggregateId === 'before-now') return true;
      return false;
    };
    await eventually(visible, 10_000, 'before-now to pass the transaction horizon');
    const seen: string[] = [];
    const sub = await manager.subscribe({ name: 'from-now', startFrom: 'now' }, (e) => void seen.push(e.aggregateId));
    await eventually(async () => (await manager.getStatus('from-now')).checkpoint !== null, 10_000, 'the subscription row');
    await store.appendEvent(created('after-now'), 'acme');
    await manager.waitUntilCaughtUp('from-now');
    expect(seen).toEqual(['after-now']);
    const lag = await manager.getLag('from-now');
    expect(lag.eventsBehind).toBe(0);
    expect(lag.checkpointPosition).toBe(lag.headPosition);
    await sub.stop();
  });

  it('rejects bad and duplicate names and unknown subscriptions', async () => {
    await expect(manager.subscribe({ name: 'Not Kebab' }, () => undefined)).rejects.toBeInstanceOf(SubscriptionDefinitionError);
    await expect(manager.subscribe({ name: 'ok-name', eventTypes: [] }, () => undefined)).rejects.toBeInstanceOf(
      SubscriptionDefinitionError,
    );
    await expect(manager.subscribe({ name: 'ok-name', tenantId: 'bad tenant!' }, () => undefined)).rejects.toBeInstanceOf(
      SubscriptionDefinitionError,
    );
    const sub = await manager.subscribe({ name: 'taken-name' }, () => undefined);
    await expect(manager.subscribe({ name: 'taken-name' }, () => undefined)).rejects.toMatchObject({ code: 'INVALID_SUBSCRIPTION' });
    await sub.stop();
    await expect(manager.getLag('never-registered')).rejects.toBeInstanceOf(SubscriptionNotFoundError);
  });
});

describeEachBackend(
  'durable subscriptions: concurrent writers and restarts',
  (mode) => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createDurableTestDatabase(mode);
    });
    afterAll(() => db?.drop());

    it('delivers every event of 8 concurrent writers once, in gap-safe order, and resumes after a restart without redelivery', async () => {
      const seen: StoredDomainEvent[] = [];
      const record = (e: StoredDomainEvent) => void seen.push(e);
      let app = await openDeliveryApp(db, []);
      let manager = app.get(SubscriptionManager);
      await manager.subscribe({ name: 'all-writers', batchSize: 7 }, record);
      const store = app.get(EventStoreService);
      const writers = Array.from({ length: 8 }, (_, w) =>
        (async () => {
          for (let i = 0; i < 15; i++)
            await store.appendEvents(
              Array.from({ length: 1 + (i % 3) }, () => created(`w-${w}`, { i })),
              'acme',
            );
        })(),
      );
      await Promise.all(writers);
      const total = 8 * (5 * (1 + 2 + 3));
      await manager.waitUntilCaughtUp('all-writers');
      expect(seen).toHaveLength(total);
      for (let i = 1; i < seen.length; i++) expect(after(order(seen[i]), order(seen[i - 1]))).toBe(true);
      for (let w = 0; w < 8; w++) {
        expect(seen.filter((e) => e.aggregateId === `w-${w}`).map((e) => e.aggregateVersion)).toEqual(
          Array.from({ length: total / 8 }, (_, i) => i + 1),
        );
      }
      const checkpoint = (await manager.getStatus('all-writers')).checkpoint!;
      expect(checkpoint.globalPosition).toBe(seen[seen.length - 1].globalPosition);

      await app.close();
      // Written while no process delivers: must arrive after the restart, and nothing before the checkpoint again.
      const offline = await openDeliveryApp(db, [], { delivery: { enabled: false } });
      await offline.get(EventStoreService).appendEvents([created('while-down'), created('while-down')], 'acme');
      await offline.close();

      const afterRestart: StoredDomainEvent[] = [];
      app = await openDeliveryApp(db, []);
      manager = app.get(SubscriptionManager);
      await manager.subscribe({ name: 'all-writers' }, (e) => void afterRestart.push(e));
      await app.get(EventStoreService).appendEvent(created('after-restart'), 'acme');
      await manager.waitUntilCaughtUp('all-writers');
      expect(afterRestart.map((e) => e.aggregateId)).toEqual(['while-down', 'while-down', 'after-restart']);
      expect(after(order(afterRestart[0]), [BigInt(checkpoint.transactionId), BigInt(checkpoint.globalPosition)])).toBe(true);
      await app.close();
    });
  },
  ['server'],
);
