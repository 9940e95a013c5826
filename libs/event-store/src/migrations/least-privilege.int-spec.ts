import { describeEachBackend } from '../testing/describe-each-backend';
import { TestStore, openTestStore } from '../testing/test-store';

const FUNCTION_STATE_SQL = `
  SELECT p.proname AS name, p.prosecdef AS definer, pg_get_userbyid(p.proowner) AS owner,
         p.prosrc LIKE '%set_config(''role''%' AND p.prosrc NOT LIKE '%removed by LeastPrivilege%' AS switches_role
    FROM pg_proc p WHERE p.proname IN ('event_store_append', 'event_store_read_batch') ORDER BY 1`;

describeEachBackend('migration 1764100000600 (least privilege)', (mode) => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore(mode);
  });
  afterAll(() => t?.close());

  const state = () => t.database.dataSource.query(FUNCTION_STATE_SQL);
  it('reverts to the base migration model and applies again, appending in both', async () => {
    const writer = t.database.roles.writer;
    expect(await state()).toEqual([
      { name: 'event_store_append', definer: true, owner: writer, switches_role: false },
      { name: 'event_store_read_batch', definer: true, owner: writer, switches_role: false },
    ]);

    // The later migrations (1764200000000, 1764200000400, 1764300000000, 1764300000100, 1764300000200) are undone first, then this one.
    for (let i = 0; i < 6; i++) await t.database.dataSource.undoLastMigration({ transaction: 'each' });
    expect((await state()).map((f: { definer: boolean; switches_role: boolean }) => [f.definer, f.switches_role])).toEqual([
      [false, true],
      [false, true],
    ]);
    const [policy] = await t.database.dataSource.query(`SELECT count(*)::int AS n FROM pg_policies WHERE policyname = 'system_read'`);
    expect(policy.n).toBe(4);
    // The base migration's append (switching to the tenant role itself) works again.
    const appended = await t.database.dataSource.query(
      `SELECT count(*)::int AS n FROM event_store_append('acme', $1::jsonb, '{}'::jsonb)`,
      [
        JSON.stringify([
          {
            i: 0,
            k: 1,
            event_id: '00000000-0000-4000-8000-000000000001',
            aggregate_type: 'Doc',
            aggregate_id: 'd-1',
            event_type: 'DocWritten',
            event_version: 1,
            occurred_at: new Date().toISOString(),
            data: {},
            metadata: {},
          },
        ]),
      ],
    );
    expect(appended[0].n).toBe(1);

    // A function of another migration that switches roles in a form the rewrite does not know stops the migration.
    await t.database.dataSource.query(
      `CREATE FUNCTION event_store_other() RETURNS text LANGUAGE sql AS $$ SELECT set_config('role', 'event_store_system', true) $$`,
    );
    await expect(t.database.dataSource.runMigrations({ transaction: 'each' })).rejects.toThrow(/still switch roles.*event_store_other\(\)/);
    await t.database.dataSource.query(`DROP FUNCTION event_store_other()`);

    await t.database.dataSource.runMigrations({ transaction: 'each' });
    expect((await state()).map((f: { definer: boolean; switches_role: boolean }) => [f.definer, f.switches_role])).toEqual([
      [true, false],
      [true, false],
    ]);
    const stored = await t.store.appendEvent(
      { aggregateType: 'Doc', aggregateId: 'd-1', eventType: 'DocWritten', data: { n: 2 } },
      'acme',
      { expectedVersion: 1 },
    );
    expect(stored.aggregateVersion).toBe(2);
  });
});
