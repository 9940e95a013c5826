import { EventValidationError } from '../errors/event-validation.error';
import { describeEachBackend } from '../testing/describe-each-backend';
import { TestStore, openTestStore } from '../testing/test-store';

interface Context {
  role: string;
  tenant: string | null;
  sort: string;
  pid: number;
}

const CONTEXT_SQL = `SELECT current_user AS role, current_setting('app.tenant_id', true) AS tenant,
                            current_setting('enable_sort') AS sort, pg_backend_pid() AS pid`;

// On the server one pooled connection: what the next statement sees is what
// the pipelined transaction left behind. PGlite runs every connection in its
// one session (and needs a second connection to migrate).
describeEachBackend('one statement in a pipelined tenant transaction', (mode) => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore(mode, mode === 'server' ? { poolSize: 1 } : {});
    for (const tenant of ['acme', 'globex'])
      await t.store.appendEvent({ aggregateType: 'Doc', aggregateId: 'd-1', eventType: 'DocWritten', data: { tenant } }, tenant);
  });
  afterAll(() => t?.close());

  const outside = async (): Promise<Context> => (await t.database.query<Context>(CONTEXT_SQL, [], 'test'))[0];

  it("is the store's own pool's way to read a tenant", () => {
    expect(t.database.pipelinesTenantReads).toBe(true);
  });

  it('runs under the tenant role with the tenant and the settings, for that transaction only', async () => {
    const before = await outside();
    const [inside] = await t.database.queryInTenant<Context>('acme', { text: CONTEXT_SQL, values: [] }, 'test', { enable_sort: 'off' });
    expect(inside).toEqual({ role: t.database.roles.tenant, tenant: 'acme', sort: 'off', pid: before.pid });
    const after = await outside();
    expect(after).toEqual(before);
    expect(after.tenant || null).toBeNull();
  });

  it("sees only the tenant's rows, whatever the statement asks for", async () => {
    const rows = await t.database.queryInTenant<{ tenant_id: string }>(
      'acme',
      { text: 'SELECT tenant_id FROM stored_domain_events', values: [] },
      'test',
    );
    expect(rows.map((r) => r.tenant_id)).toEqual(['acme']);
  });

  it('reports the error of the statement, rolls everything back, and keeps the connection clean', async () => {
    const before = await outside();
    const failing = t.database.queryInTenant('acme', { text: 'SELECT 1 / $1::int', values: [0] }, 'test', { enable_sort: 'off' });
    await expect(failing).rejects.toMatchObject({ code: '22012' });
    const after = await outside();
    expect(after).toEqual(before);
    // The connection is not left in a transaction: the next tenant read works on it.
    const [{ n }] = await t.database.queryInTenant<{ n: string }>(
      'globex',
      { text: 'SELECT count(*) AS n FROM stored_domain_events', values: [] },
      'test',
    );
    expect(Number(n)).toBe(1);
  });

  it('answers a bad argument with the typed error the store gives it', async () => {
    const bad = t.database.queryInTenant('acme', { text: 'SELECT $1::int', values: ['2147483648'] }, 'test');
    await expect(bad).rejects.toBeInstanceOf(EventValidationError);
  });

  it('reports a failure of the context itself and runs nothing of the statement', async () => {
    const write = t.database.queryInTenant('acme', { text: `SELECT set_config('app.marker', 'written', false)`, values: [] }, 'test', {
      no_such_setting_here: 'x',
    });
    await expect(write).rejects.toThrow();
    const [{ marker }] = await t.database.query<{ marker: string | null }>(
      `SELECT current_setting('app.marker', true) AS marker`,
      [],
      'test',
    );
    expect(marker || null).toBeNull();
  });
});
