import { randomUUID } from 'node:crypto';
import { ConcurrencyError } from '../errors/concurrency.error';
import { describeEachBackend } from '../testing/describe-each-backend';
import { TestStore, openTestStore } from '../testing/test-store';
import { eventStoreMigrations } from './migrations';

const FUNCTIONS_SQL = `
  SELECT p.proname AS name, p.prosecdef AS definer, pg_get_userbyid(p.proowner) AS owner,
         has_function_privilege($1, p.oid, 'EXECUTE') AS runtime,
         has_function_privilege($2, p.oid, 'EXECUTE') AS tenant,
         has_function_privilege('public', p.oid, 'EXECUTE') AS public
    FROM pg_proc p WHERE p.proname IN ('event_store_read_stream', 'event_store_count_stored') ORDER BY 1`;

describeEachBackend('migration 1764200000400 (one-round-trip reads)', (mode) => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore(mode);
  });
  afterAll(() => t?.close());

  const functions = () => t.database.dataSource.query(FUNCTIONS_SQL, [t.database.roles.runtime, t.database.roles.tenant]);

  it('owns both functions by the writer, SECURITY DEFINER, executable by the runtime role only', async () => {
    const expected = { definer: true, owner: t.database.roles.writer, runtime: true, tenant: false, public: false };
    expect(await functions()).toEqual([
      { name: 'event_store_count_stored', ...expected },
      { name: 'event_store_read_stream', ...expected },
    ]);
  });

  it("reads one tenant's stream and counts only that tenant's stored ids", async () => {
    const ids = [randomUUID(), randomUUID()];
    await t.store.appendEvents(
      ids.map((eventId, n) => ({ eventId, aggregateType: 'Doc', aggregateId: 'shared-id', eventType: 'DocWritten', data: { n } })),
      'acme',
    );
    await t.store.appendEvents([{ aggregateType: 'Doc', aggregateId: 'shared-id', eventType: 'DocWritten', data: { n: 9 } }], 'globex');
    const read = (tenant: string, from: number, to: number) =>
      t.database.query<{ aggregate_version: number; tenant_id: string }>(
        'SELECT * FROM event_store_read_stream($1, $2, $3, $4)',
        [tenant, 'shared-id', from, to],
        'test',
      );
    expect((await read('acme', 1, 10)).map((r) => [r.tenant_id, r.aggregate_version])).toEqual([
      ['acme', 1],
      ['acme', 2],
    ]);
    expect((await read('acme', 2, 2)).map((r) => r.aggregate_version)).toEqual([2]);
    expect((await read('globex', 1, 10)).map((r) => r.tenant_id)).toEqual(['globex']);
    const count = async (tenant: string, eventIds: string[]) =>
      (await t.database.query<{ n: number }>('SELECT event_store_count_stored($1, $2::uuid[]) AS n', [tenant, eventIds], 'test'))[0].n;
    expect(await count('acme', [...ids, randomUUID()])).toBe(2);
    expect(await count('globex', ids)).toBe(0);
  });

  it('answers a conflicting append with caller ids with ConcurrencyError and writes nothing; a stored one re-sent is returned', async () => {
    const first = { eventId: randomUUID(), aggregateType: 'Doc', aggregateId: 'contended', eventType: 'DocWritten', data: { n: 1 } };
    const other = { ...first, eventId: randomUUID(), data: { n: 2 } };
    const [stored] = await t.store.appendEvents([first], 'acme', { expectedVersion: 0 });
    await expect(t.store.appendEvents([other], 'acme', { expectedVersion: 0 })).rejects.toBeInstanceOf(ConcurrencyError);
    // The same event again with the same stale expected version: already stored, so returned as stored.
    expect((await t.store.appendEvents([first], 'acme', { expectedVersion: 0 }))[0].globalPosition).toBe(stored.globalPosition);
    expect((await t.store.getEventsForAggregate('contended', 'acme')).map((e) => e.eventId)).toEqual([first.eventId]);
  });

  it('reverts (the functions are dropped; the store still appends) and applies again', async () => {
    // Undo the later migrations too, then this one.
    const names = eventStoreMigrations().map((m) => m.name);
    const later = names.length - names.findIndex((name) => name.endsWith('1764200000400'));
    for (let i = 0; i < later; i++) await t.database.dataSource.undoLastMigration({ transaction: 'each' });
    expect(await functions()).toEqual([]);
    await t.store.appendEvents([{ aggregateType: 'Doc', aggregateId: 'after-revert', eventType: 'DocWritten', data: {} }], 'acme');
    await t.database.dataSource.runMigrations({ transaction: 'each' });
    expect(await functions()).toHaveLength(2);
    expect(await t.store.getEventsForAggregate('after-revert', 'acme')).toHaveLength(1);
  });
});
