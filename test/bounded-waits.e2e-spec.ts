import { Client } from 'pg';
import { EventStoreDatabase, describeEachBackend } from '@nest-event-store/core/testing';
import { TestApp, openTestApp } from './helpers/test-app';

const STATEMENT_TIMEOUT_MS = 500;

describeEachBackend('a database that does not answer', (mode) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp(mode, { statementTimeoutMs: STATEMENT_TIMEOUT_MS, connectionTimeoutMs: 1000 });
  });
  afterAll(() => t?.close());

  /** Server: another session locks the event tables. PGlite: an open transaction queues every other connection. */
  async function stallDatabase(): Promise<() => Promise<void>> {
    if (mode === 'server') {
      const locker = new Client({ connectionString: t.testDatabase.databaseUrl });
      await locker.connect();
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE stored_domain_events, event_store_streams IN ACCESS EXCLUSIVE MODE');
      return async () => {
        await locker.query('ROLLBACK');
        await locker.end();
      };
    }
    const runner = t.app.get(EventStoreDatabase).dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    await runner.query('SELECT 1');
    return async () => {
      await runner.rollbackTransaction();
      await runner.release();
    };
  }

  it('answers an append 503 with STORE_UNAVAILABLE and a Retry-After hint within the bound, not a hang', async () => {
    const restore = await stallDatabase();
    let res;
    const started = Date.now();
    try {
      res = await t
        .http()
        .post('/api/aggregates/stalled-1/events')
        .set('Authorization', `Bearer ${t.token('acme')}`)
        .send({
          aggregateType: 'Requirement',
          expectedVersion: 'no_stream',
          events: [{ eventType: 'RequirementCreated', data: { title: 'x' } }],
        });
    } finally {
      await restore();
    }
    // The server cancels at the statement bound; PGlite cannot, and the client gives up 2 s later.
    expect(Date.now() - started).toBeLessThan(STATEMENT_TIMEOUT_MS + 2000 + 1500);
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.body).toMatchObject({ statusCode: 503, code: 'STORE_UNAVAILABLE' });
    if (mode === 'server') {
      const read = await t
        .http()
        .get('/api/aggregates/stalled-1/events')
        .set('Authorization', `Bearer ${t.token('acme')}`);
      // The server cancelled the statement: the stream was never created.
      expect(read.status).toBe(404);
    }
    expect((await t.http().get('/api/health')).status).toBe(200);
  });
});
