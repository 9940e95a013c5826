import { Client } from 'pg';
import { appendFunctionInput } from './testing-fixtures/append-function-input';
import { describeEachBackend } from '../testing/describe-each-backend';
import { TestStore, openTestStore } from '../testing/test-store';
import { waitForHorizon } from '../testing/wait-for-horizon';
import { StreamCheckpoint } from '../types/read-options';
import { NewDomainEvent, StoredDomainEvent } from '../types/stored-domain-event';

const event = (aggregateId: string, data: Record<string, unknown>): NewDomainEvent => ({
  aggregateType: 'Order',
  aggregateId,
  eventType: 'OrderPlaced',
  data,
});

/** The append function's input for a batch, as APPEND_EVENTS_SQL would send it. */
const appendJson = (aggregateId: string, count: number) => appendFunctionInput(aggregateId, count, (i) => ({ data: { held: i } }));

// Holding a writer's transaction open while others commit needs a second
// server connection; PGlite would queue everyone behind the open transaction.
describeEachBackend(
  'gap-safe reading',
  (mode) => {
    let t: TestStore;
    let holder: Client;
    beforeAll(async () => {
      t = await openTestStore(mode);
      holder = new Client({ connectionString: t.testDatabase.databaseUrl });
      await holder.connect();
    });
    afterAll(async () => {
      await holder?.end();
      await t?.close();
    });

    async function drain(tenantId: string, after: StreamCheckpoint | null) {
      const events: StoredDomainEvent[] = [];
      let checkpoint = after;
      for await (const e of t.store.streamEvents({ tenantId, after, batchSize: 2 })) {
        events.push(e);
        checkpoint = e.checkpoint;
      }
      return { events, checkpoint };
    }

    /** Opens a writer transaction that has taken its positions but not committed. */
    async function holdAppend(tenantId: string, aggregateId: string, count: number): Promise<StoredDomainEvent[]> {
      await holder.query('BEGIN');
      // As the store appends: on the login's connection (the function takes the tenant; the tenant role may not append).
      const { rows } = await holder.query(
        `SELECT event_id AS "eventId", global_position::text AS "globalPosition" FROM event_store_append($1, $2::jsonb, '{}'::jsonb)`,
        [tenantId, appendJson(aggregateId, count)],
      );
      return rows as StoredDomainEvent[];
    }

    it('streamEvents never reads past an open transaction, and reads its events once after it commits', async () => {
      const before = await t.store.appendEvents(
        [1, 2, 3].map((n) => event('before', { n })),
        'gap',
      );
      // The horizon is cluster-wide: let transactions of other test files end first.
      await waitForHorizon(t.database);
      const held = await holdAppend('gap', 'held', 3);
      const after = [];
      for (let i = 0; i < 4; i++) after.push(...(await t.store.appendEvents([event(`after-${i}`, { i })], 'gap')));
      // The scenario that breaks position-only checkpoints: lower positions commit last.
      expect(Math.max(...held.map((e) => Number(e.globalPosition)))).toBeLessThan(Math.min(...after.map((e) => Number(e.globalPosition))));

      const first = await drain('gap', null);
      expect(first.events.map((e) => e.eventId)).toEqual(before.map((e) => e.eventId));

      await holder.query('COMMIT');
      await waitForHorizon(t.database);
      const rest = await drain('gap', first.checkpoint);
      expect(rest.events.map((e) => e.eventId)).toEqual([...held, ...after].map((e) => e.eventId));
      const all = [...first.events, ...rest.events].map((e) => e.eventId);
      expect(new Set(all).size).toBe(all.length);
      expect(all).toHaveLength(10);
    });

    it('queryEvents pages stop at an open transaction and resume to give every event exactly once', async () => {
      const before = await t.store.appendEvents(
        [1, 2, 3, 4].map((n) => event('q-before', { n })),
        'gap-q',
      );
      await waitForHorizon(t.database);
      const held = await holdAppend('gap-q', 'q-held', 2);
      const after = await t.store.appendEvents([event('q-after', { n: 1 }), event('q-after', { n: 2 })], 'gap-q');

      // While the writer is open, full paging shows only what precedes it.
      const visible: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await t.store.queryEvents('gap-q', {}, { limit: 3, cursor });
        visible.push(...page.items.map((e) => e.eventId));
        cursor = page.nextCursor;
      } while (cursor);
      expect(visible).toEqual(before.map((e) => e.eventId));

      // A client holding a cursor from that time continues after the commit.
      const firstPage = await t.store.queryEvents('gap-q', {}, { limit: 3 });
      expect(firstPage.hasMore).toBe(true);
      await holder.query('COMMIT');
      await waitForHorizon(t.database);
      const ids = firstPage.items.map((e) => e.eventId);
      cursor = firstPage.nextCursor;
      while (cursor) {
        const page = await t.store.queryEvents('gap-q', {}, { limit: 3, cursor });
        ids.push(...page.items.map((e) => e.eventId));
        cursor = page.nextCursor;
      }
      expect(ids).toEqual([...before, ...held, ...after].map((e) => e.eventId));
    });
  },
  ['server'],
);
