import { Client } from 'pg';
import { EventStoreDatabase, TEST_SERVER_URL, describeEachBackend } from '@nest-event-store/core/testing';
import { TestApp, openTestApp } from './helpers/test-app';

describeEachBackend('GET /api/health, /api/metrics, /api/docs', (mode) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp(mode);
  });
  afterAll(() => t?.close());

  it('answers 200 with status ok and the database up, without a token', async () => {
    const res = await t.http().get('/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
  });

  it('echoes a caller correlation id and generates one when absent or unusable', async () => {
    const given = await t.http().get('/api/health').set('x-correlation-id', 'req-42');
    expect(given.headers['x-correlation-id']).toBe('req-42');
    const generated = await t.http().get('/api/health');
    expect(generated.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
    const hostile = await t.http().get('/api/health').set('x-correlation-id', 'a b <script>');
    expect(hostile.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves Prometheus metrics with append and HTTP series by route template', async () => {
    await t.http().get('/api/health');
    const res = await t.http().get('/api/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    expect(res.text).toContain('event_store_appended_events_total');
    expect(res.text).toContain('event_store_append_duration_seconds');
    expect(res.text).toMatch(/http_requests_total\{method="GET",route="\/api\/health",status="200"\} \d+/);
    // The reference app's projection (the requirement status board) reports its lag.
    expect(res.text).toMatch(/event_store_subscription_lag_events\{subscription="[^"]+"\} \d+/);
  });

  it('serves the OpenAPI document with the DTO schemas and the UI', async () => {
    const json = await t.http().get('/api/docs-json');
    expect(json.status).toBe(200);
    expect(Object.keys(json.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/aggregates/{aggregateId}/events',
        '/api/events',
        '/api/events/stats',
        '/api/events/{eventId}',
        '/api/events/{eventId}/redaction',
        '/api/gdpr/erasure-requests',
        '/api/health',
        '/api/event-types',
      ]),
    );
    expect(Object.keys(json.body.components.schemas)).toEqual(
      expect.arrayContaining([
        'AppendEventsDto',
        'NewEventDto',
        'StoredEventDto',
        'EventPageDto',
        'RedactionRequestDto',
        'ErasureRequestDto',
        'EventStatisticsDto',
      ]),
    );
    const ui = await t.http().get('/api/docs');
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger');
  });

  it('answers 404 in the error shape for an unknown route', async () => {
    const res = await t.http().get('/api/nope');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ statusCode: 404, error: 'Not Found', message: expect.any(String) });
  });
});

describeEachBackend('GET /api/health when the database does not answer', (mode) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp(mode);
  });
  afterAll(() => t?.close());

  /** Makes the database stop answering the app for real, and returns how to undo it. */
  async function takeDatabaseAway(): Promise<() => Promise<void>> {
    if (mode === 'embedded') {
      // PGlite runs one transaction at a time: an open one queues every other connection.
      const runner = t.app.get(EventStoreDatabase).dataSource.createQueryRunner();
      await runner.connect();
      await runner.startTransaction();
      await runner.query('SELECT 1');
      return async () => {
        await runner.rollbackTransaction();
        await runner.release();
      };
    }
    // Server: refuse new connections to the test database and cut the app's open ones.
    const name = new URL(t.testDatabase.databaseUrl!).pathname.slice(1);
    const admin = new Client({ connectionString: TEST_SERVER_URL });
    await admin.connect();
    const ident = admin.escapeIdentifier(name);
    await admin.query(`ALTER DATABASE ${ident} ALLOW_CONNECTIONS false`);
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
    return async () => {
      await admin.query(`ALTER DATABASE ${ident} ALLOW_CONNECTIONS true`);
      await admin.end();
    };
  }

  it('answers 503 with the database down and a Retry-After hint, and 200 once it is back', async () => {
    const restore = await takeDatabaseAway();
    try {
      const res = await t.http().get('/api/health');
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBeDefined();
      expect(res.body).toMatchObject({ status: 'error', error: { database: { status: 'down' } } });
    } finally {
      await restore();
    }
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++) status = (await t.http().get('/api/health')).status;
    expect(status).toBe(200);
  });
});
