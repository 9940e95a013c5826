import { describeEachBackend } from '../testing/describe-each-backend';
import { TestStore, openTestStore } from '../testing/test-store';
import { EventNotFoundError } from '../errors/event-not-found.error';
import { NewDomainEvent } from '../types/stored-domain-event';
import { waitForHorizon } from '../testing/wait-for-horizon';

const event = (aggregateId: string): NewDomainEvent => ({
  aggregateType: 'Doc',
  aggregateId,
  eventType: 'DocWritten',
  data: { secret: aggregateId },
});
const COUNT_SQL = 'SELECT count(*)::int AS n FROM stored_domain_events';

// The pool connects as a superuser (the test server's root, PGlite's postgres):
// these tests show that isolation holds anyway, because of the role switch.
describeEachBackend('row-level security', (mode) => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore(mode);
    await t.store.appendEvents([event('a-1'), event('a-2')], 'acme');
    await t.store.appendEvents([event('g-1'), event('g-2'), event('g-3')], 'globex');
    await waitForHorizon(t.database);
  });
  afterAll(() => t?.close());

  /** A raw transaction on one pooled connection with the given settings. */
  async function inRawTransaction(settings: Record<string, string>, sql: string): Promise<number> {
    const runner = t.database.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      for (const [name, value] of Object.entries(settings)) await runner.query('SELECT set_config($1, $2, true)', [name, value]);
      const [row] = (await runner.query(sql)) as { n: number }[];
      return row.n;
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  }

  it('a tenant transaction without any tenant filter sees only its own rows', async () => {
    const [acme] = await t.database.runInTenant('acme', (q) => q.query(COUNT_SQL));
    const [globex] = await t.database.runInTenant('globex', (q) => q.query(COUNT_SQL));
    expect(acme.n).toBe(2);
    expect(globex.n).toBe(3);
    const [streams] = await t.database.runInTenant('acme', (q) => q.query('SELECT count(*)::int AS n FROM event_store_streams'));
    expect(streams.n).toBe(2);
  });

  it('holds because of the role switch: the superuser with only app.tenant_id set would see every tenant', async () => {
    // Superusers bypass row-level security even when it is FORCE'd.
    expect(await inRawTransaction({ 'app.tenant_id': 'acme' }, COUNT_SQL)).toBe(5);
    expect(await inRawTransaction({ 'app.tenant_id': 'acme', role: 'event_store_tenant' }, COUNT_SQL)).toBe(2);
  });

  it('the tenant role with no app.tenant_id sees nothing', async () => {
    expect(await inRawTransaction({ role: 'event_store_tenant' }, COUNT_SQL)).toBe(0);
    expect(await inRawTransaction({ role: 'event_store_tenant' }, 'SELECT count(*)::int AS n FROM event_store_streams')).toBe(0);
  });

  it('the tenant role cannot write rows of another tenant', async () => {
    const insert = t.database.runInTenant('acme', (q) =>
      q.query(
        `INSERT INTO event_store_snapshots (tenant_id, aggregate_id, aggregate_type, version, state) VALUES ('globex', 'g-1', 'Doc', 1, '{}')`,
      ),
    );
    await expect(insert).rejects.toThrow(/row-level security/);
  });

  it('reads across tenants only through the reader functions, which the tenant role may not call', async () => {
    const all = await t.database.query('SELECT count(*)::int AS n FROM event_store_read_all_batch($1::xid8, 0, 100, NULL)', ['0'], 'test');
    expect(all[0].n).toBe(5);
    await expect(
      t.database.runInTenant('acme', (q) => q.query(`SELECT count(*) FROM event_store_read_all_batch('0'::xid8, 0, 100, NULL)`)),
    ).rejects.toThrow(/permission denied/);
    await expect(
      t.database.query(`SELECT count(*) FROM event_store_read_batch(NULL, '0'::xid8, 0, 100, NULL)`, [], 'test'),
    ).rejects.toThrow(/tenant is required/);
  });

  it("answers another tenant's event id with not found", async () => {
    const [globexEvent] = (await t.store.queryEvents('globex', {}, { limit: 1 })).items;
    await expect(t.store.getEventById('acme', globexEvent.eventId)).rejects.toBeInstanceOf(EventNotFoundError);
    expect((await t.store.getEventById('globex', globexEvent.eventId)).eventId).toBe(globexEvent.eventId);
  });
});
