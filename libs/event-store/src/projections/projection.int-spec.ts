import { INestApplicationContext } from '@nestjs/common';
import { EventStoreDatabase } from '../database/event-store-database';
import { EventStoreService } from '../store/event-store.service';
import { SubscriptionManager } from '../subscriptions/subscription-manager';
import { createDurableTestDatabase, eventually, openDeliveryApp } from '../subscriptions/testing-fixtures/delivery-app';
import { describeEachBackend } from '../testing/describe-each-backend';
import { TestDatabase } from '../testing/test-database';
import { NewDomainEvent } from '../types/stored-domain-event';
import { DeliveryProgress } from '../subscriptions/subscription-status';
import { ProjectionManager } from './projection-manager';
import { CreateStatusBoard1763900100000, StatusBoardProjection, projectionOwner } from './testing-fixtures/status-board.projection';

const TYPES = ['RequirementCreated', 'RequirementApproved', 'RequirementRejected', 'RequirementCommented'];
const batch = (round: number, size: number): NewDomainEvent[] =>
  Array.from({ length: size }, (_, i) => ({
    aggregateType: 'Requirement',
    aggregateId: `req-${(round * 7 + i) % 20}`,
    eventType: TYPES[(round + i) % 4],
    data: { round, i },
  }));

/** The whole read model, comparable across runs. */
async function readModel(database: EventStoreDatabase) {
  const board = await database.query(
    `SELECT tenant_id, aggregate_id, status, events, last_position::text FROM test_status_board ORDER BY 1, 2`,
    [],
    'test',
  );
  const log = await database.query(
    `SELECT global_position::text AS global_position FROM test_status_log ORDER BY test_status_log.global_position`,
    [],
    'test',
  );
  return { board, log: log.map((r) => r.global_position) };
}

describeEachBackend('projections', (mode) => {
  let db: TestDatabase;
  let app: INestApplicationContext | undefined;
  const open = async (enabled = true) => {
    app = await openDeliveryApp(db, [StatusBoardProjection], {
      schemaMigrations: [CreateStatusBoard1763900100000],
      delivery: {
        enabled,
        pollIntervalMs: 50,
        leaseRenewIntervalMs: 300,
        leaseDurationMs: 2000,
        retry: { maxAttempts: 2, initialDelayMs: 5 },
      },
    });
    return app;
  };
  beforeAll(async () => {
    db = await createDurableTestDatabase(mode);
  });
  afterEach(async () => {
    projectionOwner.delayMs = 0;
    projectionOwner.failOn.clear();
    await app?.close();
    app = undefined;
  });
  afterAll(() => db?.drop());

  it('keeps a read model of matching events, exactly once, and reports its lag', async () => {
    const a = await open();
    const store = a.get(EventStoreService);
    for (let round = 0; round < 8; round++) await store.appendEvents(batch(round, 10), round % 2 ? 'acme' : 'globex');
    const projections = a.get(ProjectionManager);
    await projections.waitUntilCaughtUp('requirement-status-board');
    const lag = await projections.getLag('requirement-status-board');
    expect(lag.eventsBehind).toBe(0);
    const model = await readModel(a.get(EventStoreDatabase));
    expect(model.log).toHaveLength(60); // 80 events, a quarter of them of a type the projection does not ask for
    expect(model.board.reduce((n: number, r: { events: number }) => n + r.events, 0)).toBe(60);
    expect(projections.names()).toEqual(['requirement-status-board']);
  });

  it('resumes after being stopped mid-stream to the same state as a fresh rebuild', async () => {
    const offline = await open(false);
    for (let round = 10; round < 40; round++) await offline.get(EventStoreService).appendEvents(batch(round, 10), 'acme');
    await offline.close();

    projectionOwner.delayMs = 3;
    let a = await open();
    const lagOf = () => a.get(ProjectionManager).getLag('requirement-status-board');
    const start = (await lagOf()).eventsBehind;
    expect(start).toBeGreaterThan(100);
    await eventually(async () => (await lagOf()).eventsBehind < start - 30, 30_000, 'some progress');
    await a.close();
    const stoppedAt = (
      await (async () => {
        const check = await open(false);
        const lag = await check.get(SubscriptionManager).getLag('requirement-status-board');
        await check.close();
        return lag;
      })()
    ).eventsBehind;
    expect(stoppedAt).toBeGreaterThan(0); // really stopped mid-stream

    projectionOwner.delayMs = 0;
    a = await open();
    const projections = a.get(ProjectionManager);
    await projections.waitUntilCaughtUp('requirement-status-board');
    const resumed = await readModel(a.get(EventStoreDatabase));
    expect(new Set(resumed.log).size).toBe(resumed.log.length);

    const progress: DeliveryProgress[] = [];
    const { processed } = await projections.rebuild('requirement-status-board', { onProgress: (p) => progress.push(p) });
    expect(processed).toBe(resumed.log.length);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress[progress.length - 1]).toMatchObject({ processed, total: processed });
    expect(await readModel(a.get(EventStoreDatabase))).toEqual(resumed);
    expect(await a.get(SubscriptionManager).listDeadLetters('requirement-status-board')).toEqual([]);
  });

  it('rolls back a failing event, parks it, goes on, and applies it on retry', async () => {
    const a = await open();
    projectionOwner.failOn.add('req-bad');
    const store = a.get(EventStoreService);
    const [bad] = await store.appendEvents(
      [
        { aggregateType: 'Requirement', aggregateId: 'req-bad', eventType: 'RequirementCreated', data: {} },
        { aggregateType: 'Requirement', aggregateId: 'req-good', eventType: 'RequirementCreated', data: {} },
      ],
      'acme',
    );
    const projections = a.get(ProjectionManager);
    await projections.waitUntilCaughtUp('requirement-status-board');
    const database = a.get(EventStoreDatabase);
    const ids = async () => (await readModel(database)).board.map((r: { aggregate_id: string }) => r.aggregate_id);
    expect(await ids()).toContain('req-good');
    expect(await ids()).not.toContain('req-bad');
    const manager = a.get(SubscriptionManager);
    expect((await manager.listDeadLetters('requirement-status-board')).map((d) => d.eventId)).toEqual([bad.eventId]);
    projectionOwner.failOn.clear();
    expect(await manager.retryDeadLetters('requirement-status-board')).toEqual({ succeeded: 1, failed: 0 });
    expect(await ids()).toContain('req-bad');
    expect(await manager.listDeadLetters()).toEqual([]);
  });

  it('applies a dead letter once when two retries of it run at the same time', async () => {
    const a = await open();
    projectionOwner.failOn.add('req-twice');
    const [parked] = await a
      .get(EventStoreService)
      .appendEvents([{ aggregateType: 'Requirement', aggregateId: 'req-twice', eventType: 'RequirementCreated', data: {} }], 'acme');
    const projections = a.get(ProjectionManager);
    await projections.waitUntilCaughtUp('requirement-status-board');
    const manager = a.get(SubscriptionManager);
    expect(await manager.listDeadLetters('requirement-status-board')).toHaveLength(1);
    projectionOwner.failOn.clear();

    const results = await Promise.all([
      manager.retryDeadLetters('requirement-status-board'),
      manager.retryDeadLetters('requirement-status-board'),
    ]);
    expect(results.reduce((n, r) => n + r.succeeded, 0)).toBe(1);
    expect(results.reduce((n, r) => n + r.failed, 0)).toBe(0);
    expect((await readModel(a.get(EventStoreDatabase))).log.filter((p) => p === parked.globalPosition)).toHaveLength(1);
    expect(await manager.listDeadLetters()).toEqual([]);
  });

  it('discards dead letters by subscription and by id without applying them', async () => {
    const a = await open();
    projectionOwner.failOn.add('req-gone');
    await a.get(EventStoreService).appendEvents(
      [
        { aggregateType: 'Requirement', aggregateId: 'req-gone', eventType: 'RequirementCreated', data: {} },
        { aggregateType: 'Requirement', aggregateId: 'req-gone', eventType: 'RequirementApproved', data: {} },
      ],
      'acme',
    );
    await a.get(ProjectionManager).waitUntilCaughtUp('requirement-status-board');
    const manager = a.get(SubscriptionManager);
    const [first, second] = await manager.listDeadLetters('requirement-status-board');
    expect(await manager.discardDeadLetters({ ids: [first.id] })).toEqual([first.id]);
    expect(await manager.discardDeadLetters({ subscriptionName: 'other', ids: [second.id] })).toEqual([]);
    expect(await manager.discardDeadLetters({ subscriptionName: 'requirement-status-board' })).toEqual([second.id]);
    expect(await manager.listDeadLetters()).toEqual([]);
    const ids = (await readModel(a.get(EventStoreDatabase))).board.map((r: { aggregate_id: string }) => r.aggregate_id);
    expect(ids).not.toContain('req-gone');
  });

  it('resumes an interrupted rebuild from its last chunk instead of starting over', async () => {
    const a = await open(false);
    for (let round = 50; round < 60; round++) await a.get(EventStoreService).appendEvents(batch(round, 10), 'acme');
    const projections = a.get(ProjectionManager);
    expect(await projections.rebuild('requirement-status-board')).toMatchObject({ completed: true, resumed: false });
    const full = await readModel(a.get(EventStoreDatabase));

    const abort = new AbortController();
    const interrupted = await projections.rebuild('requirement-status-board', { signal: abort.signal, onProgress: () => abort.abort() });
    expect(interrupted).toMatchObject({ completed: false, resumed: false });
    expect(interrupted.processed).toBeLessThan(full.log.length);
    expect((await readModel(a.get(EventStoreDatabase))).log).toHaveLength(interrupted.processed);

    const resumed = await projections.rebuild('requirement-status-board');
    expect(resumed).toMatchObject({ completed: true, resumed: true, processed: full.log.length - interrupted.processed });
    expect(await readModel(a.get(EventStoreDatabase))).toEqual(full);
    // Finished: the next rebuild starts over.
    expect(await projections.rebuild('requirement-status-board')).toMatchObject({ resumed: false, processed: full.log.length });
  });

  it('refuses to rebuild, naming the holder, when asked not to take a held lease over', async () => {
    const a = await open(false);
    const projections = a.get(ProjectionManager);
    await projections.rebuild('requirement-status-board');
    await a
      .get(EventStoreDatabase)
      .query(
        `UPDATE event_store_subscriptions SET owner = 'other-host:42:beef', lease_until = now() + interval '1 hour' WHERE name = $1`,
        ['requirement-status-board'],
        'test',
      );
    await expect(projections.rebuild('requirement-status-board', { takeOver: false })).rejects.toMatchObject({
      code: 'SUBSCRIPTION_LEASE_HELD',
      owner: 'other-host:42:beef',
    });
    expect(await projections.rebuild('requirement-status-board')).toMatchObject({ completed: true });
    expect((await projections.getStatus('requirement-status-board')).owner).toBeNull();
  });

  it('refuses to rebuild an unknown projection', async () => {
    const a = await open(false);
    await expect(a.get(ProjectionManager).rebuild('no-such-projection')).rejects.toMatchObject({ code: 'SUBSCRIPTION_NOT_FOUND' });
  });
});
