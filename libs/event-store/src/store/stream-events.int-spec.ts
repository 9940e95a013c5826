import { EventValidationError } from '../errors/event-validation.error';
import { describeEachBackend } from '../testing/describe-each-backend';
import { TestStore, openTestStore } from '../testing/test-store';
import { waitForHorizon } from '../testing/wait-for-horizon';
import { StreamCheckpoint } from '../types/read-options';
import { NewDomainEvent } from '../types/stored-domain-event';
import { CheckpointedEvent } from './event-store.service';

const event = (aggregateId: string, data: Record<string, unknown>, eventType = 'ItemAdded'): NewDomainEvent => ({
  aggregateType: 'Cart',
  aggregateId,
  eventType,
  data,
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeEachBackend('streamEvents', (mode) => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore(mode, { poolSize: 12 });
  });
  afterAll(() => t?.close());

  /** Reads everything after `after`, returning the events and the last checkpoint. */
  async function drain(options: { tenantId?: string; after: StreamCheckpoint | null; batchSize?: number; eventTypes?: string[] }) {
    const events: CheckpointedEvent[] = [];
    let checkpoint = options.after;
    for await (const e of t.store.streamEvents({ ...options, after: checkpoint })) {
      events.push(e);
      checkpoint = e.checkpoint;
    }
    return { events, checkpoint };
  }

  it('yields every committed event exactly once to a reader tailing 8 concurrent writers', async () => {
    const writers = 8;
    const perWriter = 50;
    let done = false;
    const writing = Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        // Batches of 1-3 events, so that transactions of different sizes interleave.
        for (let n = 0; n < perWriter;) {
          const size = Math.min(1 + ((n + w) % 3), perWriter - n);
          await t.store.appendEvents(
            Array.from({ length: size }, (_, k) => event(`cart-${w}`, { w, n: n + k })),
            'tail',
          );
          n += size;
        }
      }),
    ).finally(() => {
      done = true;
    });

    const seen: CheckpointedEvent[] = [];
    let checkpoint: StreamCheckpoint | null = null;
    while (!done) {
      const pass = await drain({ tenantId: 'tail', after: checkpoint, batchSize: 7 });
      seen.push(...pass.events);
      checkpoint = pass.checkpoint;
      await sleep(5);
    }
    await writing;
    // Catch up: once every commit is below the (cluster-wide) horizon, one more pass sees the rest.
    await waitForHorizon(t.database);
    const last = await drain({ tenantId: 'tail', after: checkpoint, batchSize: 7 });
    seen.push(...last.events);

    const ids = seen.map((e) => e.eventId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(writers * perWriter);
    const stored = await t.store.queryEvents('tail', {}, { limit: 1000 });
    expect(new Set(ids)).toEqual(new Set(stored.items.map((e) => e.eventId)));
    // Each stream arrives in version order, and the checkpoints only go forward.
    for (let w = 0; w < writers; w++) {
      expect(seen.filter((e) => e.aggregateId === `cart-${w}`).map((e) => e.aggregateVersion)).toEqual(
        Array.from({ length: perWriter }, (_, i) => i + 1),
      );
    }
    for (let i = 1; i < seen.length; i++) {
      const [a, b] = [seen[i - 1].checkpoint, seen[i].checkpoint];
      const forward =
        BigInt(b.transactionId) > BigInt(a.transactionId) ||
        (b.transactionId === a.transactionId && BigInt(b.globalPosition) > BigInt(a.globalPosition));
      expect(forward).toBe(true);
    }
  });

  it('resumes after a checkpoint without repeating or skipping', async () => {
    await t.store.appendEvents(
      [0, 1, 2, 3, 4].map((n) => event('resume-1', { n })),
      'resume',
    );
    await waitForHorizon(t.database);
    const all = await drain({ tenantId: 'resume', after: null });
    expect(all.events).toHaveLength(5);
    const rest = await drain({ tenantId: 'resume', after: all.events[1].checkpoint, batchSize: 2 });
    expect(rest.events.map((e) => e.data)).toEqual([{ n: 2 }, { n: 3 }, { n: 4 }]);
    expect((await drain({ tenantId: 'resume', after: all.checkpoint })).events).toEqual([]);
  });

  it('filters by tenant and event type, and spans tenants without a tenant (system use)', async () => {
    await t.store.appendEvent(event('x-1', { n: 1 }, 'ItemRemoved'), 'stream-a');
    await t.store.appendEvent(event('x-1', { n: 2 }), 'stream-b');
    await waitForHorizon(t.database);
    const a = await drain({ tenantId: 'stream-a', after: null });
    expect(a.events.map((e) => e.tenantId)).toEqual(['stream-a']);
    const removed = await drain({ after: null, eventTypes: ['ItemRemoved'] });
    expect(removed.events.map((e) => [e.tenantId, e.eventType])).toEqual([['stream-a', 'ItemRemoved']]);
    const everything = await drain({ after: null });
    expect(new Set(everything.events.map((e) => e.tenantId))).toEqual(new Set(['tail', 'resume', 'stream-a', 'stream-b']));
  });

  // Batches after the first keep the horizon it read (decision 0029); one
  // stopped short by that horizon must not end the stream while events
  // committed since wait above it.
  it('reads on past the horizon of its first batch: events committed while it streams are read before it ends', async () => {
    await t.store.appendEvents([event('kept-1', { n: 1 }), event('kept-1', { n: 2 })], 'kept');
    await waitForHorizon(t.database);
    const seen: unknown[] = [];
    for await (const e of t.store.streamEvents({ tenantId: 'kept', batchSize: 2 })) {
      seen.push(e.data);
      // The second batch, below the first one's horizon, is already on its way.
      if (seen.length === 1) {
        await t.store.appendEvents([event('kept-1', { n: 3 }), event('kept-1', { n: 4 })], 'kept');
        await waitForHorizon(t.database);
      }
    }
    expect(seen).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }]);
  });

  it('rejects bad options with EventValidationError', async () => {
    const first = (options: Parameters<TestStore['store']['streamEvents']>[0]) => t.store.streamEvents(options).next();
    await expect(first({ tenantId: 'bad tenant' })).rejects.toBeInstanceOf(EventValidationError);
    await expect(first({ batchSize: 0 })).rejects.toMatchObject({ violations: [{ field: 'batchSize' }] });
    await expect(first({ after: { transactionId: 'x', globalPosition: '1' } })).rejects.toMatchObject({ violations: [{ field: 'after' }] });
    await expect(first({ tenantId: 'acme', limit: 3 } as never)).rejects.toMatchObject({ violations: [{ field: 'options' }] });
  });
});

// With the option `logging`, statements go through TypeORM's QueryRunner,
// which cannot return rows as arrays: the store builds them from the row
// objects (EventStoreDatabase.query), in the same column order.
describeEachBackend('streamEvents with the option logging', (mode) => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore(mode, { logging: true });
  });
  afterAll(() => t?.close());

  it('yields the same events, with their checkpoints, for one tenant and for all', async () => {
    const stored = await t.store.appendEvents([event('logged-1', { n: 1 }), event('logged-1', { n: 2 })], 'logged');
    await waitForHorizon(t.database);
    for (const tenantId of ['logged', undefined]) {
      const events: CheckpointedEvent[] = [];
      for await (const e of t.store.streamEvents({ tenantId, batchSize: 1 })) events.push(e);
      expect(events.map(({ checkpoint, ...e }) => ({ e, checkpoint }))).toEqual(
        stored.map((e) => ({ e, checkpoint: { transactionId: e.transactionId, globalPosition: e.globalPosition } })),
      );
    }
  });
});
