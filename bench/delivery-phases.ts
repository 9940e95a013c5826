import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { INestApplicationContext } from '@nestjs/common';
import { Client } from 'pg';
import {
  EventProjection,
  EventStoreModule,
  EventStoreService,
  ProjectionHandler,
  ProjectionManager,
  StoredDomainEvent,
  SubscriptionManager,
} from '@nest-event-store/core';
import { BenchContext } from './context';
import { ADMIN_URL } from './setup';
import { makeEvents } from './payload';
import { ResultRow, atLeast, storeBelow } from './report';
import { alternate } from './rounds';
import { fmt, median, msSince, now, percentile, rate } from './stats';

const MB = 1024 * 1024;

/**
 * A second application on the bench database, with delivery on, booted once
 * the seeding is done so that nothing delivers in the background while the
 * earlier phases are measured. Its projection counts events (no read-model
 * writes), so the rebuild figure is the delivery machinery's own.
 */
export interface DeliveryApp {
  app: INestApplicationContext;
  store: EventStoreService;
  subscriptions: SubscriptionManager;
  projections: ProjectionManager;
  projectionName: string;
  applied(): number;
}

export async function bootDeliveryApp(url: string, poolSize: number, streamTenant: string, runId: string): Promise<DeliveryApp> {
  let applied = 0;
  const projectionName = `bench-rebuild-${runId}`;

  @Injectable()
  @EventProjection({ name: projectionName, tenantId: streamTenant, startFrom: 'now', batchSize: 1000 })
  class CountingProjection implements ProjectionHandler {
    async apply(): Promise<void> {
      applied++;
    }
    async reset(): Promise<void> {
      applied = 0;
    }
  }

  @Module({
    imports: [EventStoreModule.forRoot({ databaseUrl: url, poolSize, delivery: { batchSize: 1000 } })],
    providers: [CountingProjection],
  })
  class DeliveryBenchModule {}

  const app = await NestFactory.createApplicationContext(DeliveryBenchModule, { logger: ['error', 'warn'] });
  return {
    app,
    store: app.get(EventStoreService),
    subscriptions: app.get(SubscriptionManager),
    projections: app.get(ProjectionManager),
    projectionName,
    applied: () => applied,
  };
}

function memorySampler() {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const rssBefore = process.memoryUsage.rss();
  const heapBefore = process.memoryUsage().heapUsed;
  let rssPeak = rssBefore;
  let heapPeak = heapBefore;
  return {
    sample(afterGc = false): void {
      rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
      if (afterGc && gc) {
        gc();
        heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
      }
    },
    rssGrowthMb: () => (rssPeak - rssBefore) / MB,
    liveHeapGrowthMb: () => (heapPeak - heapBefore) / MB,
  };
}

/**
 * Phase 6: a new no-op subscriber catching up over the seeded events, against
 * a plain keyset read of the same events (the baseline of phase 5).
 */
export async function subscriptionCatchUp(
  ctx: BenchContext,
  delivery: DeliveryApp,
  streamTenant: string,
  runId: string,
): Promise<ResultRow[]> {
  const expected = ctx.config.stream.events;
  const runs = await alternate(
    ctx.config.rounds,
    async (round) => {
      let delivered = 0;
      let done!: () => void;
      const finished = new Promise<void>((resolve) => (done = resolve));
      const start = now();
      const handle = await delivery.subscriptions.subscribe(
        { name: `bench-catchup-${runId}-${round}`, tenantId: streamTenant, startFrom: 'beginning', batchSize: ctx.config.stream.pageSize },
        () => {
          if (++delivered === expected) done();
        },
      );
      await finished;
      const ms = msSince(start);
      await handle.stop();
      return rate(delivered, ms);
    },
    async () => {
      let read = 0;
      const start = now();
      for await (const page of ctx.baseline.keysetPages(streamTenant, ctx.config.stream.pageSize)) read += page.length;
      if (read !== expected) throw new Error(`keyset read ${read} events, expected ${expected}`);
      return rate(read, msSince(start));
    },
  );
  return [
    {
      phase: `6 subscription catch-up vs keyset read`,
      metric: 'throughput',
      unit: 'ev/s',
      store: median(runs.store),
      baseline: median(runs.baseline),
      target: atLeast(0.8),
    },
  ];
}

/**
 * BENCH_FOREIGN_TX=1: a transaction with an xid held open in another database
 * of the cluster (the admin database) while the appenders write, committed
 * once they are done. A cluster-wide read horizon makes every event wait for
 * it; a horizon scoped to the store's database does not (decision 0004).
 */
async function holdForeignTransaction(): Promise<(() => Promise<void>) | undefined> {
  if (process.env.BENCH_FOREIGN_TX !== '1') return undefined;
  const client = new Client({ connectionString: ADMIN_URL, application_name: 'bench-foreign-tx' });
  await client.connect();
  await client.query('BEGIN');
  await client.query('SELECT pg_current_xact_id()');
  return async () => {
    await client.query('COMMIT');
    await client.end();
  };
}

/**
 * Phase 7: 16 appenders write single events while a subscriber in the same
 * process receives them; latency from the append's commit (its promise
 * resolving) to the handler's call. No baseline: the targets are absolute.
 */
export async function commitToSubscriber(ctx: BenchContext, delivery: DeliveryApp, runId: string): Promise<ResultRow[]> {
  const { workers, perWorker } = ctx.config.concurrent;
  const p50s: number[] = [];
  const p99s: number[] = [];
  for (let round = 0; round < ctx.config.rounds; round++) {
    const tenantId = `bench-latency-${runId}-${round}`;
    const clockStart = now();
    const clock = () => msSince(clockStart);
    const committedAt = new Map<string, number>();
    const receivedAt = new Map<string, number>();
    const handle = await delivery.subscriptions.subscribe(
      { name: `bench-latency-${runId}-${round}`, tenantId, startFrom: 'beginning' },
      (event: StoredDomainEvent) => {
        receivedAt.set(event.eventId, clock());
      },
    );
    const releaseForeign = await holdForeignTransaction();
    await Promise.all(
      Array.from({ length: workers }, async (_, w) => {
        const events = makeEvents(`latency-w${w}`, perWorker);
        for (const event of events) {
          const [stored] = await delivery.store.appendEvents([event], tenantId);
          committedAt.set(stored.eventId, clock());
        }
      }),
    );
    await releaseForeign?.();
    await delivery.subscriptions.waitUntilCaughtUp(handle.name, 60_000);
    await handle.stop();
    // A handler may run before the append's promise resolved: that latency counts as 0.
    const latencies = [...committedAt].map(([id, at]) => Math.max(0, (receivedAt.get(id) ?? Number.NaN) - at));
    if (latencies.some(Number.isNaN)) throw new Error('the subscriber missed events');
    p50s.push(percentile(latencies, 50));
    p99s.push(percentile(latencies, 99));
  }
  const phase = `7 commit-to-subscriber, ${workers} appenders${process.env.BENCH_FOREIGN_TX === '1' ? ', foreign transaction open' : ''}`;
  return [
    { phase, metric: 'latency p50', unit: 'ms', store: median(p50s), baseline: Number.NaN, target: storeBelow(20, 'ms') },
    { phase, metric: 'latency p99', unit: 'ms', store: median(p99s), baseline: Number.NaN, target: storeBelow(100, 'ms') },
  ];
}

/** Phase 8: rebuild of a (counting) projection over the seeded events, with progress and memory, against a keyset read. */
export async function projectionRebuild(ctx: BenchContext, delivery: DeliveryApp, streamTenant: string): Promise<ResultRow[]> {
  const expected = ctx.config.stream.events;
  const rebuild = async (round: number) => {
    const memory = memorySampler();
    let nextReport = 0.25;
    const start = now();
    const { processed } = await delivery.projections.rebuild(delivery.projectionName, {
      onProgress: (p) => {
        memory.sample(p.processed % 100_000 < 1000);
        if (round === 0 && p.processed >= nextReport * p.total) {
          console.log(
            `  progress: ${p.processed.toLocaleString('en-US')} / ${p.total.toLocaleString('en-US')} (${fmt((p.processed / p.total) * 100)} %), RSS +${fmt(memory.rssGrowthMb())} MB`,
          );
          nextReport += 0.25;
        }
      },
    });
    const ms = msSince(start);
    memory.sample(true);
    if (processed !== expected || delivery.applied() !== expected)
      throw new Error(`rebuild applied ${delivery.applied()} of ${expected} events`);
    return { eps: rate(processed, ms), rss: memory.rssGrowthMb(), heap: memory.liveHeapGrowthMb() };
  };
  const runs = await alternate(ctx.config.rounds, rebuild, async () => {
    let read = 0;
    const start = now();
    for await (const page of ctx.baseline.keysetPages(streamTenant, ctx.config.stream.pageSize)) read += page.length;
    if (read !== expected) throw new Error(`keyset read ${read} events, expected ${expected}`);
    return { eps: rate(read, msSince(start)), rss: Number.NaN, heap: Number.NaN };
  });
  const phase = `8 projection rebuild vs keyset read`;
  const worst = (key: 'rss' | 'heap') => Math.max(...runs.store.map((x) => x[key]));
  return [
    {
      phase,
      metric: 'throughput',
      unit: 'ev/s',
      store: median(runs.store.map((x) => x.eps)),
      baseline: median(runs.baseline.map((x) => x.eps)),
      target: atLeast(0.8),
    },
    {
      phase,
      metric: 'peak RSS growth (max of rounds)',
      unit: 'MB',
      store: worst('rss'),
      baseline: Number.NaN,
      target: storeBelow(64, 'MB'),
    },
    { phase, metric: 'live heap growth after GC (max of rounds)', unit: 'MB', store: worst('heap'), baseline: Number.NaN },
  ];
}
