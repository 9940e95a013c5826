import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { ConcurrencyError } from '../errors/concurrency.error';
import { DuplicateEventError } from '../errors/duplicate-event.error';
import { EventValidationError } from '../errors/event-validation.error';
import { StoreUnavailableError } from '../errors/store-unavailable.error';
import { describeEachBackend } from '../testing/describe-each-backend';
import { TestStore, openTestStore } from '../testing/test-store';
import { NewDomainEvent } from '../types/stored-domain-event';

const event = (aggregateId: string, data: Record<string, unknown>, extra: Partial<NewDomainEvent> = {}): NewDomainEvent => ({
  aggregateType: 'Account',
  aggregateId,
  eventType: 'Deposited',
  data,
  ...extra,
});

// appendConcurrency 1: while one append is in flight, every other append
// waits and then shares the next transaction with the rest of the queue.
describeEachBackend('group commit of concurrent appends', (mode) => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore(mode, { appendConcurrency: 1, maxAppendsPerTransaction: 64 });
  });
  afterAll(() => t?.close());

  it('commits queued appends in one transaction, each with its own versions and result', async () => {
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        t.store.appendEvents([event(`g1-${i % 3}`, { i }), event(`g1-${i % 3}`, { i, second: true })], 'acme'),
      ),
    );
    // The first went alone; the other eleven shared one commit.
    const transactions = new Set(results.slice(1).map((batch) => batch[0].transactionId));
    expect(transactions.size).toBe(1);
    expect(results[0][0].transactionId).not.toBe(results[1][0].transactionId);
    results.forEach((batch, i) => {
      expect(batch.map((e) => e.data)).toEqual([{ i }, { i, second: true }]);
      expect(batch[1].aggregateVersion).toBe(batch[0].aggregateVersion + 1);
    });
    for (const stream of ['g1-0', 'g1-1', 'g1-2']) {
      const events = await t.store.getEventsForAggregate(stream, 'acme');
      expect(events.map((e) => e.aggregateVersion)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    }
  });

  it('fails each append of a shared transaction alone, with its own typed error, and commits the rest', async () => {
    await t.store.appendEvent(event('g2-a', { n: 0 }), 'acme');
    const reused = randomUUID();
    await t.store.appendEvent(event('g2-b', { n: 0 }, { eventId: reused }), 'acme');
    await t.store.appendEvent(event('g2-c', { n: 0 }), 'acme');

    const blocker = t.store.appendEvent(event('g2-x', { first: true }), 'acme');
    const outcomes = await Promise.allSettled([
      blocker,
      t.store.appendEvents([event('g2-ok-1', { n: 1 }), event('g2-ok-1', { n: 2 })], 'acme', { expectedVersion: 'no_stream' }),
      t.store.appendEvent(event('g2-a', { n: 1 }), 'acme', { expectedVersion: 5 }),
      t.store.appendEvent(event('g2-b', { other: 'content' }, { eventId: reused }), 'acme'),
      t.store.appendEvent(event('g2-c', { n: 1 }, { aggregateType: 'Invoice' }), 'acme'),
      // Two appends of one batch shape to one stream, the second now stale: it must fail alone.
      t.store.appendEvents([event('g2-ok-1', { n: 3 })], 'acme', { expectedVersion: 0 }),
      t.store.appendEvent(event('g2-ok-2', { n: 1 }), 'globex'),
    ]);
    const [, ok1, stale, duplicate, wrongType, stale2, ok2] = outcomes;
    expect(ok1.status).toBe('fulfilled');
    expect(ok2.status).toBe('fulfilled');
    expect(stale).toMatchObject({ status: 'rejected', reason: expect.any(ConcurrencyError) });
    expect((stale as PromiseRejectedResult).reason).toMatchObject({ aggregateId: 'g2-a', expectedVersion: 5, actualVersion: 1 });
    expect(duplicate).toMatchObject({ status: 'rejected', reason: expect.any(DuplicateEventError) });
    expect(wrongType).toMatchObject({ status: 'rejected', reason: expect.any(EventValidationError) });
    expect(stale2).toMatchObject({ status: 'rejected', reason: expect.any(ConcurrencyError) });
    expect((stale2 as PromiseRejectedResult).reason).toMatchObject({ aggregateId: 'g2-ok-1', expectedVersion: 0, actualVersion: 2 });

    // Failed appends wrote nothing; the others are whole.
    expect((await t.store.getEventsForAggregate('g2-a', 'acme')).map((e) => e.data)).toEqual([{ n: 0 }]);
    expect((await t.store.getEventsForAggregate('g2-b', 'acme')).map((e) => e.data)).toEqual([{ n: 0 }]);
    expect((await t.store.getEventsForAggregate('g2-c', 'acme')).map((e) => e.data)).toEqual([{ n: 0 }]);
    expect((await t.store.getEventsForAggregate('g2-ok-1', 'acme')).map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }]);
    // Each append ran in its own tenant, even inside a shared transaction.
    expect(await t.store.getEventsForAggregate('g2-ok-2', 'acme')).toEqual([]);
    expect((await t.store.getEventsForAggregate('g2-ok-2', 'globex')).map((e) => e.tenantId)).toEqual(['globex']);
  });

  it('decides appends with store-generated ids in order, set-based: rejects the stale ones and writes the rest', async () => {
    await t.store.appendEvent(event('g5-a', { n: 0 }), 'acme');
    const blocker = t.store.appendEvent(event('g5-x', {}), 'acme');
    const outcomes = await Promise.allSettled([
      blocker,
      t.store.appendEvent(event('g5-a', { n: 1 }), 'acme', { expectedVersion: 1 }),
      // Stale now that the previous append of the same group took version 2.
      t.store.appendEvent(event('g5-a', { n: 'stale' }), 'acme', { expectedVersion: 1 }),
      t.store.appendEvent(event('g5-a', { n: 2 }), 'acme', { expectedVersion: 2 }),
      // A two-stream append rejected on its second stream writes neither.
      t.store.appendEvents([event('g5-b', { n: 1 }), event('g5-a', { n: 'nope' })], 'acme', {
        expectedVersion: { 'g5-b': 'no_stream', 'g5-a': 0 },
      }),
      t.store.appendEvent(event('g5-b', { n: 1 }), 'acme', { expectedVersion: 'no_stream' }),
      t.store.appendEvent(event('g5-a', { n: 'typed' }, { aggregateType: 'Invoice' }), 'acme'),
      t.store.appendEvent(event('g5-c', { n: 1 }), 'globex', { expectedVersion: 'stream_exists' }),
      t.store.appendEvent(event('g5-c', { n: 1 }), 'globex', { expectedVersion: 'no_stream' }),
    ]);
    const status = outcomes.map((o) => (o.status === 'fulfilled' ? 'ok' : (o.reason as Error).constructor.name));
    expect(status).toEqual([
      'ok',
      'ok',
      'ConcurrencyError',
      'ok',
      'ConcurrencyError',
      'ok',
      'EventValidationError',
      'ConcurrencyError',
      'ok',
    ]);
    expect((outcomes[2] as PromiseRejectedResult).reason).toMatchObject({ aggregateId: 'g5-a', expectedVersion: 1, actualVersion: 2 });
    expect((outcomes[4] as PromiseRejectedResult).reason).toMatchObject({ aggregateId: 'g5-a', expectedVersion: 0, actualVersion: 3 });
    expect((outcomes[7] as PromiseRejectedResult).reason).toMatchObject({
      aggregateId: 'g5-c',
      expectedVersion: 'stream_exists',
      actualVersion: 0,
    });
    expect((await t.store.getEventsForAggregate('g5-a', 'acme')).map((e) => [e.aggregateVersion, e.data])).toEqual([
      [1, { n: 0 }],
      [2, { n: 1 }],
      [3, { n: 2 }],
    ]);
    expect((await t.store.getEventsForAggregate('g5-b', 'acme')).map((e) => e.data)).toEqual([{ n: 1 }]);
    expect((await t.store.getEventsForAggregate('g5-c', 'globex')).map((e) => [e.aggregateVersion, e.tenantId])).toEqual([[1, 'globex']]);
    expect(await t.store.getEventsForAggregate('g5-c', 'acme')).toEqual([]);
    // The returned events are the stored ones, in batch order.
    const [, first] = outcomes as PromiseFulfilledResult<{ aggregateVersion: number; globalPosition: string }>[];
    expect(first.value).toMatchObject({ aggregateVersion: 2 });
  });

  it('decides appends with caller ids set-based too; a retry rejected on its expected version is answered alone with the stored events', async () => {
    const id = () => ({ eventId: randomUUID() });
    const first = await t.store.appendEvent(event('g6-r', { n: 0 }, id()), 'acme', { expectedVersion: 'no_stream' });
    await t.store.appendEvent(event('g6-c', { n: 0 }, id()), 'acme');
    const blocker = t.store.appendEvent(event('g6-x', {}, id()), 'acme');
    const [, a, retry, b, conflict] = await Promise.allSettled([
      blocker,
      t.store.appendEvent(event('g6-a', { n: 1 }, id()), 'acme'),
      // The same append again, with the expectation it had: stale now, but a retry.
      t.store.appendEvent(event('g6-r', { n: 0 }, { eventId: first.eventId }), 'acme', { expectedVersion: 'no_stream' }),
      t.store.appendEvent(event('g6-b', { n: 1 }, id()), 'acme'),
      t.store.appendEvent(event('g6-c', { n: 1 }, id()), 'acme', { expectedVersion: 'no_stream' }),
    ]);
    expect(retry).toEqual({ status: 'fulfilled', value: first });
    expect(conflict).toMatchObject({ status: 'rejected', reason: expect.any(ConcurrencyError) });
    expect((conflict as PromiseRejectedResult).reason).toMatchObject({
      aggregateId: 'g6-c',
      expectedVersion: 'no_stream',
      actualVersion: 1,
    });
    const [okA, okB] = [a, b] as PromiseFulfilledResult<{ transactionId: string }>[];
    expect(okA.value.transactionId).toBe(okB.value.transactionId);
    expect(await t.store.getEventsForAggregate('g6-r', 'acme')).toHaveLength(1);
    expect((await t.store.getEventsForAggregate('g6-c', 'acme')).map((e) => e.data)).toEqual([{ n: 0 }]);
  });

  it('answers each append alone when a stored id fails the shared INSERT: the retry gets the stored events, other content a DuplicateEventError', async () => {
    const first = await t.store.appendEvent(event('g7-r', { n: 0 }, { eventId: randomUUID() }), 'acme');
    const blocker = t.store.appendEvent(event('g7-x', {}, { eventId: randomUUID() }), 'acme');
    const [, fresh, retry, reused] = await Promise.allSettled([
      blocker,
      t.store.appendEvent(event('g7-a', { n: 1 }, { eventId: randomUUID() }), 'acme'),
      t.store.appendEvent(event('g7-r', { n: 0 }, { eventId: first.eventId }), 'acme'),
      t.store.appendEvent(event('g7-r', { n: 'other' }, { eventId: first.eventId }), 'acme'),
    ]);
    expect(fresh.status).toBe('fulfilled');
    expect(retry).toEqual({ status: 'fulfilled', value: first });
    expect(reused).toMatchObject({ status: 'rejected', reason: expect.any(DuplicateEventError) });
    expect((reused as PromiseRejectedResult).reason).toMatchObject({ eventId: first.eventId });
    expect((await t.store.getEventsForAggregate('g7-r', 'acme')).map((e) => e.data)).toEqual([{ n: 0 }]);
    expect(await t.store.getEventsForAggregate('g7-a', 'acme')).toHaveLength(1);
  });

  it('returns the stored events to an identical retry queued in the same transaction', async () => {
    const ids = [randomUUID(), randomUUID()];
    const batch = ids.map((eventId, i) => event('g3', { i }, { eventId }));
    const blocker = t.store.appendEvent(event('g3-x', {}), 'acme');
    const [, a, b] = await Promise.all([
      blocker,
      t.store.appendEvents(batch, 'acme', { expectedVersion: 'no_stream' }),
      t.store.appendEvents(batch, 'acme', { expectedVersion: 'no_stream' }),
    ]);
    expect(a.map((e) => e.globalPosition)).toEqual(b.map((e) => e.globalPosition));
    expect(await t.store.getEventsForAggregate('g3', 'acme')).toHaveLength(2);
  });
});

// Needs a second connection holding a lock and pg_terminate_backend: server only.
describeEachBackend(
  'group commit when the connection drops',
  (mode) => {
    let t: TestStore;
    let locker: Client;
    beforeAll(async () => {
      t = await openTestStore(mode, { appendConcurrency: 1 });
      locker = new Client({ connectionString: t.testDatabase.databaseUrl });
      await locker.connect();
    });
    afterAll(async () => {
      await locker?.end();
      await t?.close();
    });

    it("falls back to one append at a time when another transaction creates one of the group's new streams", async () => {
      await locker.query('BEGIN');
      // As the superuser, not bound by row-level security: a stream row another writer is creating.
      await locker.query(
        `INSERT INTO event_store_streams (tenant_id, aggregate_id, aggregate_type, version) VALUES ('acme', 'g6-new', 'Account', 0)`,
      );
      const first = t.store.appendEvent(event('g6-first', {}), 'acme');
      const grouped = Promise.all([
        t.store.appendEvent(event('g6-other', {}), 'acme'),
        t.store.appendEvent(event('g6-new', { n: 1 }), 'acme'),
      ]);
      await first;
      // The group now waits for the locker's uncommitted stream row.
      await new Promise((resolve) => setTimeout(resolve, 200));
      await locker.query('COMMIT');
      const [other, created] = await grouped;
      expect(other.aggregateVersion).toBe(1);
      expect(created.aggregateVersion).toBe(1);
      expect((await t.store.getEventsForAggregate('g6-new', 'acme')).map((e) => e.data)).toEqual([{ n: 1 }]);
      expect(await t.store.getEventsForAggregate('g6-other', 'acme')).toHaveLength(1);
    });

    it('fails every append of the shared transaction with StoreUnavailableError and writes none of them', async () => {
      await t.store.appendEvent(event('g4-locked', { n: 0 }), 'acme');
      await locker.query('BEGIN');
      await locker.query(`SELECT version FROM event_store_streams WHERE tenant_id = 'acme' AND aggregate_id = 'g4-locked' FOR UPDATE`);
      // The first append goes alone; the next four queue and then share one
      // transaction, which stores two of them and blocks on the locked stream.
      const first = t.store.appendEvent(event('g4-first', {}), 'acme');
      const grouped = [
        t.store.appendEvent(event('g4-a', {}), 'acme'),
        t.store.appendEvent(event('g4-b', {}), 'acme'),
        t.store.appendEvent(event('g4-locked', { n: 1 }), 'acme'),
        t.store.appendEvent(event('g4-c', {}), 'acme'),
      ].map((p) =>
        p.then(
          () => undefined,
          (e: unknown) => e,
        ),
      );
      await first;
      let pid: number | undefined;
      for (let i = 0; i < 200 && pid === undefined; i++) {
        await locker.query('SELECT pg_stat_clear_snapshot()');
        const { rows } = await locker.query(
          `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND state = 'active'
              AND query LIKE '%event_store_append_group%' AND pid <> pg_backend_pid()`,
        );
        pid = rows[0]?.pid;
        if (pid === undefined) await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect(pid).toBeDefined();
      await locker.query('SELECT pg_terminate_backend($1)', [pid]);
      const errors = await Promise.all(grouped);
      await locker.query('ROLLBACK');
      for (const error of errors) expect(error).toBeInstanceOf(StoreUnavailableError);
      for (const stream of ['g4-a', 'g4-b', 'g4-c']) expect(await t.store.getEventsForAggregate(stream, 'acme')).toEqual([]);
      expect(await t.store.getEventsForAggregate('g4-locked', 'acme')).toHaveLength(1);
      // The store keeps working.
      expect(await t.store.appendEvent(event('g4-a', {}), 'acme')).toMatchObject({ aggregateVersion: 1 });
    });
  },
  ['server'],
);
