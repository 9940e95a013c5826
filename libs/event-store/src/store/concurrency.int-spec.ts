import { randomUUID } from 'node:crypto';
import { ConcurrencyError } from '../errors/concurrency.error';
import { describeEachBackend } from '../testing/describe-each-backend';
import { TestStore, openTestStore } from '../testing/test-store';
import { NewDomainEvent } from '../types/stored-domain-event';

const event = (aggregateId: string, data: Record<string, unknown>, eventId?: string): NewDomainEvent => ({
  aggregateType: 'Account',
  aggregateId,
  eventType: 'Deposited',
  data,
  ...(eventId ? { eventId } : {}),
});

// True concurrency needs several connections running transactions at once:
// PGlite runs one transaction at a time, so these run on the server only.
describeEachBackend(
  'appendEvents under concurrency',
  (mode) => {
    let t: TestStore;
    beforeAll(async () => {
      t = await openTestStore(mode, { poolSize: 24 });
    });
    afterAll(() => t?.close());

    it('lets exactly one of 20 appenders with the same expected version win, without partial batches', async () => {
      await t.store.appendEvent(event('acc-1', { n: 0 }), 'acme', { expectedVersion: 'no_stream' });
      const attempts = Array.from({ length: 20 }, (_, writer) =>
        t.store.appendEvents(
          [0, 1, 2].map((i) => event('acc-1', { writer, i })),
          'acme',
          { expectedVersion: 1 },
        ),
      );
      const results = await Promise.allSettled(attempts);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(19);
      for (const r of lost) {
        expect(r.reason).toBeInstanceOf(ConcurrencyError);
        expect(r.reason).toMatchObject({ aggregateId: 'acc-1', expectedVersion: 1 });
        expect((r.reason as ConcurrencyError).actualVersion).toBeGreaterThanOrEqual(1);
      }
      const stream = await t.store.getEventsForAggregate('acc-1', 'acme');
      expect(stream.map((e) => e.aggregateVersion)).toEqual([1, 2, 3, 4]);
      const winner = (stream[1].data as { writer: number }).writer;
      // The winning batch is whole and in order; no loser wrote anything.
      expect(stream.slice(1).map((e) => e.data)).toEqual([0, 1, 2].map((i) => ({ writer: winner, i })));
    });

    it('serializes 20 appenders with expectedVersion any into contiguous versions', async () => {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, writer) =>
          t.store.appendEvents(
            [0, 1, 2].map((i) => event('acc-2', { writer, i })),
            'acme',
          ),
        ),
      );
      const stream = await t.store.getEventsForAggregate('acc-2', 'acme');
      expect(stream.map((e) => e.aggregateVersion)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
      // Every batch occupies three consecutive versions.
      for (const batch of results) {
        const versions = batch.map((e) => e.aggregateVersion);
        expect(versions).toEqual([versions[0], versions[0] + 1, versions[0] + 2]);
      }
    });

    it('lets two concurrent identical retries both succeed with the same stored events', async () => {
      // Several rounds: the race between the two is decided differently each time.
      for (let round = 0; round < 5; round++) {
        const aggregateId = `acc-3-${round}`;
        const roundIds = [randomUUID(), randomUUID(), randomUUID()];
        const roundBatch = roundIds.map((id, i) => event(aggregateId, { i }, id));
        const [a, b] = await Promise.all([
          t.store.appendEvents(roundBatch, 'acme', { expectedVersion: 'no_stream' }),
          t.store.appendEvents(roundBatch, 'acme', { expectedVersion: 'no_stream' }),
        ]);
        expect(a.map((e) => e.globalPosition)).toEqual(b.map((e) => e.globalPosition));
        expect(a.map((e) => e.eventId)).toEqual(roundIds);
        expect(await t.store.getEventsForAggregate(aggregateId, 'acme')).toHaveLength(3);
      }
    });

    it('settles concurrent identical retries with expectedVersion any (unique event id race) the same way', async () => {
      for (let round = 0; round < 5; round++) {
        const aggregateId = `acc-4-${round}`;
        const batch = [0, 1].map((i) => event(aggregateId, { i }, randomUUID()));
        const results = await Promise.all([0, 1, 2, 3].map(() => t.store.appendEvents(batch, 'acme')));
        for (const r of results) expect(r.map((e) => e.globalPosition)).toEqual(results[0].map((e) => e.globalPosition));
        expect(await t.store.getEventsForAggregate(aggregateId, 'acme')).toHaveLength(2);
      }
    });
  },
  ['server'],
);
