import { describeEachBackend, eventually } from '@nest-event-store/core/testing';
import { loadConfig } from '../apps/api/src/config/app-config';
import { CONSOLE_CSP } from '../apps/api/src/console/console-static';
import { appendVia, getAs, newAggregateId, postAs } from './helpers/events';
import { TestApp, openTestApp } from './helpers/test-app';
import { POISON_SUBSCRIPTION, PoisonModule, PoisonSubscriber } from './console/poison.subscriber';

// The API routes of the audit console (delivery, the stored form of an event,
// development sign-in) and its static files. The browser tests are console.e2e-spec.ts.
describeEachBackend('audit console: API and static files', (mode) => {
  let t: TestApp;
  const tokenA = () => t.token('console-a', ['auditor', 'writer', 'dpo']);
  const tokenB = () => t.token('console-b', ['auditor', 'writer', 'dpo']);
  beforeAll(async () => {
    t = await openTestApp(mode, { devTokens: true });
  }, 180_000);
  afterAll(() => t?.close());

  describe('GET /console', () => {
    it('serves the page, its modules and Preact+htm, each with a same-origin Content-Security-Policy', async () => {
      const page = await t.http().get('/console/');
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      expect(page.headers['content-security-policy']).toBe(CONSOLE_CSP);
      expect(page.text).toContain('<script type="module" src="app.js">');
      for (const path of ['/console/app.js', '/console/styles.css', '/console/vendor/htm/standalone.module.js']) {
        const res = await t.http().get(path);
        expect([path, res.status]).toEqual([path, 200]);
        expect(res.headers['content-security-policy']).toBe(CONSOLE_CSP);
      }
      expect(CONSOLE_CSP).toMatch(/default-src 'self'/);
      expect(CONSOLE_CSP).not.toMatch(/unsafe/);
    });

    it('answers 404 for a file that is not there, and never lists the folder', async () => {
      expect((await t.http().get('/console/nope.js')).status).toBe(404);
      expect((await t.http().get('/console/vendor/htm/')).status).toBe(404);
    });
  });

  describe('POST /api/console/dev-token (development only)', () => {
    it('mints a token that the API accepts for that tenant and those roles', async () => {
      const res = await t
        .http()
        .post('/api/console/dev-token')
        .send({ tenantId: 'console-a', roles: ['auditor'], sub: 'carol' });
      expect(res.status).toBe(200);
      expect((await getAs(t, res.body.token, '/api/events/stats')).status).toBe(200);
      expect((await postAs(t, res.body.token, '/api/gdpr/erasure-requests', { subjectId: 's', reason: 'r' })).status).toBe(403);
    });

    it('answers 400 naming the field for a bad tenant, an unknown role, no roles or an empty sub', async () => {
      const cases: Array<[object, string]> = [
        [{ tenantId: 'no spaces', roles: ['auditor'] }, 'tenantId'],
        [{ tenantId: 'ok', roles: ['root'] }, 'roles'],
        [{ tenantId: 'ok', roles: [] }, 'roles'],
        [{ tenantId: 'ok', roles: ['auditor'], sub: '' }, 'sub'],
        [{ roles: ['auditor'] }, 'tenantId'],
      ];
      for (const [body, field] of cases) {
        const res = await t.http().post('/api/console/dev-token').send(body);
        expect([field, res.status]).toEqual([field, 400]);
        expect(JSON.stringify(res.body.message)).toContain(field);
      }
    });

    it('is on by default outside production and off with NODE_ENV=production', () => {
      expect(loadConfig({ DATA_DIR: '/tmp/console-config-test', JWT_SECRET: 'x'.repeat(32) }).devTokens).toBe(true);
      expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) }).devTokens).toBe(false);
    });
  });

  describe('GET /api/events/:eventId/as-stored', () => {
    it('returns the event before upcasting, so the console can say which version a read was upcast from', async () => {
      const [, approved] = await appendVia(t, tokenA(), newAggregateId('req'), [
        { eventType: 'RequirementCreated', data: { title: 'Backups' } },
        { eventType: 'RequirementApproved', eventVersion: 1, data: { by: 'bob' } },
      ]);
      const read = await getAs(t, tokenA(), `/api/events/${approved.eventId}`);
      const stored = await getAs(t, tokenA(), `/api/events/${approved.eventId}/as-stored`);
      expect(read.body.eventVersion).toBe(3);
      expect(stored.status).toBe(200);
      expect(stored.body).toMatchObject({ eventId: approved.eventId, eventVersion: 1, data: { by: 'bob' } });
    });

    it("answers 404 for another tenant's event and for a malformed id, 403 without the auditor role", async () => {
      const [event] = await appendVia(t, tokenA(), newAggregateId('req'), [{ data: { title: 'x' } }]);
      expect((await getAs(t, tokenB(), `/api/events/${event.eventId}/as-stored`)).status).toBe(404);
      expect((await getAs(t, tokenA(), '/api/events/not-a-uuid/as-stored')).status).toBe(404);
      expect((await getAs(t, t.token('console-a', ['writer']), `/api/events/${event.eventId}/as-stored`)).status).toBe(403);
    });
  });

  it('lists the subscriptions and projections of the process with checkpoint and lag (auditor or writer)', async () => {
    await appendVia(t, tokenA(), newAggregateId('req'), [{ data: { title: 'lag' } }]);
    const res = await getAs(t, t.token('console-a', ['writer']), '/api/delivery/subscriptions');
    expect(res.status).toBe(200);
    const board = res.body.items.find((s: { name: string }) => s.name === 'requirement-status-board');
    expect(board).toMatchObject({
      kind: 'projection',
      deadLetters: 0,
      eventsBehind: expect.any(Number),
      headPosition: expect.stringMatching(/^\d+$/),
    });
    expect((await getAs(t, t.token('console-a', ['dpo']), '/api/delivery/subscriptions')).status).toBe(403);
    expect((await t.http().get('/api/delivery/subscriptions')).status).toBe(401);
  });

  it('documents the routes and their error answers in OpenAPI', async () => {
    const doc = (await t.http().get('/api/docs-json')).body;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/delivery/subscriptions',
        '/api/delivery/dead-letters',
        '/api/delivery/dead-letters/retry',
        '/api/console/dev-token',
      ]),
    );
    expect(Object.keys(doc.paths['/api/delivery/dead-letters/retry'].post.responses)).toEqual(
      expect.arrayContaining(['200', '400', '401', '403', '404', '503']),
    );
    expect(Object.keys(doc.paths['/api/events/{eventId}/as-stored'].get.responses)).toEqual(expect.arrayContaining(['200', '404']));
  });
});

describeEachBackend('audit console in production', (mode) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp(mode, { devTokens: false });
  }, 180_000);
  afterAll(() => t?.close());

  it('has no development sign-in: the route answers 404 and is not in OpenAPI', async () => {
    const res = await t
      .http()
      .post('/api/console/dev-token')
      .send({ tenantId: 'acme', roles: ['auditor'] });
    expect(res.status).toBe(404);
    expect(Object.keys((await t.http().get('/api/docs-json')).body.paths)).not.toContain('/api/console/dev-token');
    expect((await t.http().get('/console/')).status).toBe(200);
  });
});

// A subscriber that fails on purpose fills the dead letters.
describeEachBackend('audit console: dead letters', (mode) => {
  let t: TestApp;
  const tokenA = () => t.token('console-a', ['auditor', 'writer', 'dpo']);
  const tokenB = () => t.token('console-b', ['auditor', 'writer', 'dpo']);
  beforeAll(async () => {
    PoisonSubscriber.healed = false;
    t = await openTestApp(mode, {}, { imports: [PoisonModule] });
  }, 180_000);
  afterAll(() => t?.close());

  let parkedA: string;
  let parkedB: string;
  beforeAll(async () => {
    [{ eventId: parkedA }] = await appendVia(t, tokenA(), newAggregateId('pill'), [{ eventType: 'PoisonPill', data: {} }], {
      aggregateType: 'Pill',
    });
    [{ eventId: parkedB }] = await appendVia(t, tokenB(), newAggregateId('pill'), [{ eventType: 'PoisonPill', data: {} }], {
      aggregateType: 'Pill',
    });
    const parkedOf = async (token: string) =>
      (await getAs(t, token, '/api/delivery/dead-letters')).body.items.map((d: { eventId: string }) => d.eventId).join();
    await eventually(
      async () => (await parkedOf(tokenA())) === parkedA && (await parkedOf(tokenB())) === parkedB,
      20_000,
      'both dead letters',
    );
  });

  it('lists the subscriptions and projections with checkpoint, lag and the tenant’s dead letters', async () => {
    const res = await getAs(t, tokenA(), '/api/delivery/subscriptions');
    expect(res.status).toBe(200);
    const poison = res.body.items.find((s: { name: string }) => s.name === POISON_SUBSCRIPTION);
    expect(poison).toMatchObject({ kind: 'subscriber', deadLetters: 1, eventsBehind: expect.any(Number) });
    expect(poison.headPosition).toMatch(/^\d+$/);
    expect(res.body.items.some((s: { kind: string }) => s.kind === 'projection')).toBe(true);
  });

  it("shows a tenant only its own dead letters, and answers 404 for another tenant's id on retry", async () => {
    const a = await getAs(t, tokenA(), `/api/delivery/dead-letters?subscription=${POISON_SUBSCRIPTION}`);
    expect(a.body.items.map((d: { eventId: string }) => d.eventId)).toEqual([parkedA]);
    expect(a.body.items[0]).toMatchObject({ eventType: 'PoisonPill', attempts: 1, error: expect.stringContaining('poisoned') });
    const b = await getAs(t, tokenB(), '/api/delivery/dead-letters');
    const res = await postAs(t, tokenA(), '/api/delivery/dead-letters/retry', {
      subscription: POISON_SUBSCRIPTION,
      ids: [b.body.items[0].id],
    });
    expect(res.status).toBe(404);
  });

  it('answers 400 for bad input, 404 for an unknown subscription, 403 for retry without the writer role', async () => {
    const bad = await postAs(t, tokenA(), '/api/delivery/dead-letters/retry', { subscription: POISON_SUBSCRIPTION, ids: ['x1'] });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.message)).toContain('ids');
    expect((await postAs(t, tokenA(), '/api/delivery/dead-letters/retry', {})).status).toBe(400);
    expect((await postAs(t, tokenA(), '/api/delivery/dead-letters/retry', { subscription: 'no-such' })).status).toBe(404);
    expect((await getAs(t, tokenA(), '/api/delivery/dead-letters?subscription=no-such')).status).toBe(404);
    const auditor = t.token('console-a', ['auditor']);
    expect((await postAs(t, auditor, '/api/delivery/dead-letters/retry', { subscription: POISON_SUBSCRIPTION })).status).toBe(403);
    expect((await getAs(t, t.token('console-a', ['dpo']), '/api/delivery/subscriptions')).status).toBe(403);
    expect((await t.http().get('/api/delivery/subscriptions')).status).toBe(401);
  });

  it("retries the tenant's dead letters only: A's is handled, B's stays parked", async () => {
    PoisonSubscriber.healed = true;
    const res = await postAs(t, tokenA(), '/api/delivery/dead-letters/retry', { subscription: POISON_SUBSCRIPTION });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ succeeded: 1, failed: 0 });
    expect((await getAs(t, tokenA(), '/api/delivery/dead-letters')).body.items).toEqual([]);
    expect((await getAs(t, tokenB(), '/api/delivery/dead-letters')).body.items.map((d: { eventId: string }) => d.eventId)).toEqual([
      parkedB,
    ]);
  });
});
