import { SubscriptionManager } from '@nest-event-store/core';
import { describeEachBackend, eventually } from '@nest-event-store/core/testing';
import { AppLogger } from '../apps/api/src/logging/app-logger';
import { appendVia, getAs, newAggregateId } from './helpers/events';
import { TestApp, openTestApp } from './helpers/test-app';
import { OBSERVED, ObservedAppModule } from './observability/observed-app.module';

/** The value of one Prometheus sample, or undefined when the series is absent. */
function sample(metrics: string, series: string): number | undefined {
  const line = metrics.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describeEachBackend('observability: /api/health delivery entry, delivery metrics, request logs', (mode) => {
  let t: TestApp;
  const lines: string[] = [];
  const entries = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  beforeAll(async () => {
    t = await openTestApp(
      mode,
      { subscriptionLagWarningEvents: 2 },
      { imports: [ObservedAppModule], logger: new AppLogger({ format: 'json', write: (line) => lines.push(line) }) },
    );
  }, 180_000);
  afterAll(() => t?.close());

  const health = async () => (await t.http().get('/api/health')).body;
  const subscription = async (name: string) => (await health()).details.subscriptions.subscriptions[name];

  it('lists every subscription and projection as running here, holding its lease, not behind and without dead letters', async () => {
    const manager = t.app.get(SubscriptionManager);
    await eventually(async () => (await subscription(OBSERVED.stoppable.name))?.lease.held === true);
    const res = await t.http().get('/api/health');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ok');
    expect(Object.keys(res.body.details.subscriptions.subscriptions).sort()).toEqual(manager.names().sort());
    expect(res.body.details.subscriptions).toMatchObject({
      status: 'up',
      lagThresholdEvents: 2,
      subscriptions: {
        [OBSERVED.stoppable.name]: {
          status: 'up',
          kind: 'subscriber',
          running: true,
          lease: { owner: manager.options.ownerId, held: true, ownedHere: true },
          eventsBehind: 0,
          deadLetters: 0,
        },
      },
    });
  });

  it('reports a subscriber with dead letters as degraded (200) with the count, in /api/health and /api/metrics', async () => {
    const { name, tenantId } = OBSERVED.poisoned;
    const token = t.token(tenantId, ['writer']);
    await appendVia(t, token, newAggregateId('ok'), [{ data: {} }]);
    await appendVia(t, token, newAggregateId('poison'), [{ data: { poison: true } }, { data: { poison: true } }]);
    await eventually(async () => (await subscription(name)).deadLetters === 2, 20_000, 'two dead letters');
    const res = await t.http().get('/api/health');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('degraded');
    expect(res.body.details.subscriptions.status).toBe('degraded');
    expect(res.body.details.subscriptions.subscriptions[name]).toMatchObject({
      status: 'degraded',
      deadLetters: 2,
      eventsBehind: 0,
      reasons: ['2 dead letter(s)'],
    });
    const metrics = (await t.http().get('/api/metrics')).text;
    expect(sample(metrics, `event_store_dead_letters{subscription="${name}"}`)).toBe(2);
    expect(sample(metrics, `event_store_dead_letters{subscription="${OBSERVED.stoppable.name}"}`)).toBe(0);
    // The healthy event was handled: one latency observation; the parked ones never completed.
    expect(sample(metrics, `event_store_delivery_latency_seconds_count{subscription="${name}"}`)).toBe(1);
    expect(sample(metrics, `event_store_delivery_latency_seconds_bucket{le="+Inf",subscription="${name}"}`)).toBe(1);
  });

  it('reports a stopped worker whose lag passes the threshold as degraded, not running and without a lease holder', async () => {
    const { name, tenantId } = OBSERVED.stoppable;
    const manager = t.app.get(SubscriptionManager);
    await manager.worker(name).stop();
    try {
      const token = t.token(tenantId, ['writer']);
      await appendVia(t, token, newAggregateId('lag'), [{ data: {} }, { data: {} }, { data: {} }]);
      const entry = await subscription(name);
      expect(entry).toMatchObject({
        status: 'degraded',
        running: false,
        lease: { owner: null, held: false, ownedHere: false },
        eventsBehind: 3,
        deadLetters: 0,
      });
      expect(entry.reasons).toEqual(['3 events behind (threshold 2)', 'no process delivers it']);
      const metrics = (await t.http().get('/api/metrics')).text;
      expect(sample(metrics, `event_store_subscription_lag_events{subscription="${name}"}`)).toBe(3);
    } finally {
      manager.worker(name).start();
    }
    await manager.waitUntilCaughtUp(name);
    await eventually(async () => (await subscription(name)).status === 'up', 20_000, 'the restarted worker to catch up');
    const metrics = (await t.http().get('/api/metrics')).text;
    expect(sample(metrics, `event_store_delivery_latency_seconds_count{subscription="${name}"}`)).toBe(3);
  });

  it('writes every log line of a request with its correlation id and tenant, including lines after an await', async () => {
    lines.length = 0;
    const res = await getAs(t, t.token('obs-log-co', ['auditor'], 'bob'), '/api/obs-log').set('x-correlation-id', 'obs-log-1');
    expect(res.status).toBe(200);
    const ofRequest = entries().filter((e) => e.correlationId === 'obs-log-1');
    expect(ofRequest.map((e) => [e.level, e.context, e.message])).toEqual([
      ['log', 'ObsLog', 'before the await'],
      ['warn', 'ObsLog', 'after the await for bob'],
      ['log', 'HTTP', expect.stringMatching(/^GET \/api\/obs-log 200 \d+\.\d ms$/)],
    ]);
    for (const entry of ofRequest) expect(entry).toMatchObject({ tenantId: 'obs-log-co', time: expect.any(String) });
  });

  it('logs a request rejected before the guard with its correlation id and no tenant', async () => {
    lines.length = 0;
    const res = await t.http().get('/api/obs-log').set('x-correlation-id', 'obs-log-401');
    expect(res.status).toBe(401);
    const [line] = entries().filter((e) => e.correlationId === 'obs-log-401');
    expect(line).toMatchObject({ context: 'HTTP', message: expect.stringMatching(/^GET \/api\/obs-log 401 /) });
    expect(line).not.toHaveProperty('tenantId');
    // A line logged outside any request carries neither.
    lines.length = 0;
    new AppLogger({ format: 'json', write: (l) => lines.push(l) }).log('outside', 'Test');
    expect(entries()[0]).not.toHaveProperty('correlationId');
  });
});
