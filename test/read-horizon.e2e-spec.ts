import { Client } from 'pg';
import { TEST_SERVER_URL, describeEachBackend } from '@nest-event-store/core/testing';
import { getAs, newAggregateId, postAs } from './helpers/events';
import { TestApp, openTestApp } from './helpers/test-app';

/** A client with a transaction that has taken an id and stays open until `end`. */
async function openTransaction(url: string, applicationName: string) {
  const client = new Client({ connectionString: url, application_name: applicationName });
  await client.connect();
  await client.query('BEGIN');
  await client.query('SELECT pg_current_xact_id()');
  return { end: async () => (await client.query('COMMIT'), await client.end()) };
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
}

// Another database and a second connection exist only on a server.
describeEachBackend(
  'read horizon (GET /api/events, /api/health, /api/metrics)',
  (mode) => {
    let t: TestApp;
    let token: string;
    beforeAll(async () => {
      t = await openTestApp(mode, { horizonWarningSeconds: 1 });
      token = t.token('horizon-co', ['auditor', 'writer']);
    });
    afterAll(() => t?.close());

    it('lists a new event in GET /api/events while a transaction is open in another database of the server', async () => {
      const foreign = await openTransaction(TEST_SERVER_URL, 'e2e-foreign-tx');
      try {
        const id = newAggregateId('hz');
        const created = await postAs(t, token, `/api/aggregates/${id}/events`, {
          aggregateType: 'Requirement',
          events: [{ eventType: 'RequirementCreated', data: { title: 'x' } }],
        });
        expect(created.status).toBe(201);
        const started = Date.now();
        const res = await until(
          () => getAs(t, token, `/api/events?aggregateId=${id}`),
          (r) => r.body.items?.length === 1,
          3000,
        );
        expect(res.body.items.map((e: { aggregateId: string }) => e.aggregateId)).toEqual([id]);
        expect(Date.now() - started).toBeLessThan(3000);
        const health = await t.http().get('/api/health');
        expect(health.body).toMatchObject({ status: 'ok', details: { readHorizon: { status: 'up', lagSeconds: 0 } } });
      } finally {
        await foreign.end();
      }
    });

    it('reports degraded (200) with the stuck transaction in /api/health and its age as event_store_horizon_lag_seconds', async () => {
      const stuck = await openTransaction(t.testDatabase.databaseUrl!, 'e2e-stuck-tx');
      try {
        const health = await until(
          () => t.http().get('/api/health'),
          (r) => r.body.status === 'degraded',
          5000,
        );
        expect(health.status).toBe(200);
        expect(health.body).toMatchObject({
          status: 'degraded',
          info: { database: { status: 'up' } },
          details: {
            readHorizon: {
              status: 'degraded',
              thresholdSeconds: 1,
              holder: { pid: expect.any(Number), applicationName: 'e2e-stuck-tx', kind: 'client backend', ageExact: true },
            },
          },
        });
        expect(health.body.details.readHorizon.lagSeconds).toBeGreaterThan(1);
        // The statement stays in the server log: this endpoint is public.
        expect(JSON.stringify(health.body)).not.toContain('pg_current_xact_id');
        const metrics = await t.http().get('/api/metrics');
        const lag = Number(/^event_store_horizon_lag_seconds (\S+)$/m.exec(metrics.text)?.[1]);
        expect(lag).toBeGreaterThan(1);
      } finally {
        await stuck.end();
      }
      const after = await t.http().get('/api/health');
      expect(after.body).toMatchObject({ status: 'ok', details: { readHorizon: { status: 'up', lagSeconds: 0 } } });
      expect((await t.http().get('/api/metrics')).text).toMatch(/^event_store_horizon_lag_seconds 0$/m);
    });
  },
  ['server'],
);
