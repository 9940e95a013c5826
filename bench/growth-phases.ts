import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { EventStoreService, NewDomainEvent } from '@nest-event-store/core';
import { BenchConfig } from './config';
import { seedTenants } from './growth-seed';
import { makeEvents } from './payload';
import { ResultRow, atMost } from './report';
import { BenchStore, bootStore, openBaselinePool, openBenchDatabase } from './setup';
import { fmt, median, msSince, now, percentile } from './stats';

// Issue 13: every figure at the largest size within 1.2x of the empty-log figure.
const GROWTH_TARGET = atMost(1.2);

/** Sizes of the growth phases (BENCH_QUICK=1 shrinks them). */
export function growthSizes(quick: boolean): {
  established: number;
  tenantSizes: number[];
  logSize: number;
  appends: number;
  batches: number;
} {
  return quick
    ? { established: 20_000, tenantSizes: [0, 10_000, 50_000], logSize: 200_000, appends: 100, batches: 2 }
    : { established: 100_000, tenantSizes: [0, 10_000, 100_000, 1_000_000], logSize: 5_000_000, appends: 300, batches: 3 };
}

interface Figures {
  appendP50: number;
  /** Median time of one appendEvents call of 1000 events (phase 10) or of one 1000-event stream read (phase 11). */
  thousandMs: number;
}

/** Medians of each figure over rounds. */
const medians = (runs: Figures[]): Figures => ({
  appendP50: median(runs.map((r) => r.appendP50)),
  thousandMs: median(runs.map((r) => r.thousandMs)),
});

/**
 * Runs `large` and `empty` alternately, `rounds` times each, so that the
 * load of a shared machine weighs on both alike; the ratios compare them.
 */
async function alternately(
  rounds: number,
  large: (round: number) => Promise<Figures>,
  empty: (round: number) => Promise<Figures>,
): Promise<{ large: Figures; empty: Figures }> {
  const runs = { large: [] as Figures[], empty: [] as Figures[] };
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      runs.large.push(await large(round));
      runs.empty.push(await empty(round));
    } else {
      runs.empty.push(await empty(round));
      runs.large.push(await large(round));
    }
  }
  return { large: medians(runs.large), empty: medians(runs.empty) };
}

/** Events with caller-supplied ids: the idempotent path, where the probe runs. */
function withIds(events: NewDomainEvent[]): NewDomainEvent[] {
  return events.map((event) => ({ ...event, eventId: randomUUID() }));
}

/** Single-append p50 on a new stream, each append with its own event id and a numeric expected version. */
async function appendP50(store: EventStoreService, tenantId: string, stream: string, count: number): Promise<number> {
  const events = withIds(makeEvents(stream, count + 20));
  for (let i = 0; i < 20; i++) await store.appendEvent(events[i], tenantId, { expectedVersion: i });
  const latencies: number[] = [];
  for (let i = 20; i < events.length; i++) {
    const t = now();
    await store.appendEvent(events[i], tenantId, { expectedVersion: i });
    latencies.push(msSince(t));
  }
  return percentile(latencies, 50);
}

/** Median time of `count` appendEvents calls of 1000 events, each to a new stream. */
async function batchMs(store: EventStoreService, tenantId: string, prefix: string, count: number): Promise<number> {
  const times: number[] = [];
  for (let b = 0; b < count; b++) {
    const events = withIds(makeEvents(`${prefix}-${b}`, 1000));
    const t = now();
    await store.appendEvents(events, tenantId, { expectedVersion: 'no_stream' });
    times.push(msSince(t));
  }
  return median(times);
}

/** Median time of reading one 1000-event stream. */
async function readMs(store: EventStoreService, tenantId: string, stream: string, count: number): Promise<number> {
  for (let i = 0; i < 20; i++) await store.getEventsForAggregate(stream, tenantId);
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = now();
    const events = await store.getEventsForAggregate(stream, tenantId);
    times.push(msSince(t));
    if (events.length !== 1000) throw new Error(`read ${events.length} events, expected 1000`);
  }
  return percentile(times, 50);
}

/** A database of its own, the store booted on it, and a superuser pool for seeding. */
async function withFreshStore<T>(config: BenchConfig, work: (booted: BenchStore, pool: Pool) => Promise<T>): Promise<T> {
  const database = await openBenchDatabase();
  let booted: BenchStore | undefined;
  const pool = openBaselinePool(database.url, 2);
  try {
    booted = await bootStore(database.url, config.poolSize);
    return await work(booted, pool);
  } finally {
    await booted?.app.close().catch(() => undefined);
    await pool.end().catch(() => undefined);
    await database.drop().catch((error) => console.error('could not drop the growth database:', error));
  }
}

function printTable(title: string, header: string[], lines: string[][]): void {
  console.log(`  ${title}`);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const render = (cells: string[]) => '  ' + cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ');
  console.log(render(header));
  for (const line of lines) console.log(render(line));
}

/**
 * Phase 10: a new tenant grows. One established tenant is seeded and the table
 * analysed, so the statistics know the established tenant only; then the new
 * tenant's own log is grown by bulk load (no ANALYZE) to each size. At each
 * size its single-append p50 and 1000-event batch time (caller ids) are
 * measured in rounds alternating with a brand-new tenant of the same table
 * (its empty-log figure under the same load), and compared with it.
 */
export async function tenantGrowth(config: BenchConfig): Promise<ResultRow[]> {
  const sizes = growthSizes(config.quick);
  return withFreshStore(config, async ({ store }, pool) => {
    const tenant = 'growth-new';
    await seedTenants(pool, ['growth-established'], sizes.established, { streamPrefix: 'est', streamLength: 10, rebuildIndexes: true });
    await pool.query('ANALYZE stored_domain_events');
    await pool.query('ANALYZE event_store_streams');
    const measure = async (tenantId: string, label: string): Promise<Figures> => ({
      appendP50: await appendP50(store, tenantId, `single-${label}`, sizes.appends),
      thousandMs: await batchMs(store, tenantId, `batch-${label}`, sizes.batches),
    });
    const measured: { size: number; large: Figures; empty: Figures }[] = [];
    let own = 0;
    for (const size of sizes.tenantSizes) {
      const started = now();
      await seedTenants(pool, [tenant], size - own, {
        streamPrefix: `seed-${size}`,
        streamLength: 10,
        rebuildIndexes: size - own >= 500_000,
      });
      // The load's dirty pages and WAL are written now, not during the measurement.
      await pool.query('CHECKPOINT');
      const seededS = msSince(started) / 1000;
      const figures = await alternately(
        config.rounds,
        (r) => measure(tenant, `${size}-${r}`),
        (r) => measure(`growth-empty-${size}-${r}`, `${size}-${r}`),
      );
      const { rows } = await pool.query<{ n: string }>('SELECT count(*)::text AS n FROM stored_domain_events WHERE tenant_id = $1', [
        tenant,
      ]);
      own = Number(rows[0].n);
      measured.push({ size, ...figures });
      console.log(
        `  at ${size.toLocaleString('en-US')} own events (seeded in ${fmt(seededS)} s): append p50 ${fmt(figures.large.appendP50)} ms (new empty tenant ${fmt(figures.empty.appendP50)} ms), ` +
          `1000-event batch ${fmt(figures.large.thousandMs)} ms (new empty tenant ${fmt(figures.empty.thousandMs)} ms)`,
      );
    }
    printTable(
      `new tenant's growth (table analysed with ${sizes.established.toLocaleString('en-US')} events of another tenant only; medians of ${config.rounds} rounds)`,
      ['own events', 'append p50 ms', 'empty tenant', 'ratio', 'batch 1000 ms', 'empty tenant', 'ratio'],
      measured.map(({ size, large, empty }) => [
        size.toLocaleString('en-US'),
        fmt(large.appendP50),
        fmt(empty.appendP50),
        `${fmt(large.appendP50 / empty.appendP50)}x`,
        fmt(large.thousandMs),
        fmt(empty.thousandMs),
        `${fmt(large.thousandMs / empty.thousandMs)}x`,
      ]),
    );
    const last = measured[measured.length - 1];
    const phase = '10 new tenant growth';
    const at = `at ${last.size.toLocaleString('en-US')} own events vs an empty tenant`;
    return [
      {
        phase,
        metric: `single append p50 ${at}`,
        unit: 'ms',
        store: last.large.appendP50,
        baseline: last.empty.appendP50,
        target: GROWTH_TARGET,
      },
      {
        phase,
        metric: `1000-event batch ${at}`,
        unit: 'ms',
        store: last.large.thousandMs,
        baseline: last.empty.thousandMs,
        target: GROWTH_TARGET,
      },
    ];
  });
}

/**
 * Phase 11: the whole log grows. Two databases side by side: one with an
 * empty log, one with `logSize` events bulk-loaded over five tenants (the
 * measured one holds a fifth). One tenant's single-append p50 and
 * 1000-event stream-read p50 in each, in alternating rounds, first without
 * statistics, then after ANALYZE of both.
 */
export async function logGrowth(config: BenchConfig): Promise<ResultRow[]> {
  const sizes = growthSizes(config.quick);
  const tenant = 'growth-measured';
  return withFreshStore(config, (emptyDb, emptyPool) =>
    withFreshStore(config, async (largeDb, pool) => {
      const started = now();
      await seedTenants(pool, ['growth-a', 'growth-b', 'growth-c', 'growth-d', tenant], sizes.logSize / 5, {
        streamPrefix: 'bulk',
        streamLength: 10,
        rebuildIndexes: true,
      });
      await pool.query('CHECKPOINT');
      console.log(`  seeded ${sizes.logSize.toLocaleString('en-US')} events in ${fmt(msSince(started) / 1000)} s`);
      for (const { store } of [emptyDb, largeDb])
        await store.appendEvents(makeEvents('read-1000', 1000), tenant, { expectedVersion: 'no_stream' });
      const measure =
        (store: EventStoreService) =>
        async (round: number): Promise<Figures> => ({
          appendP50: await appendP50(store, tenant, `single-${Date.now()}-${round}`, sizes.appends),
          thousandMs: await readMs(store, tenant, 'read-1000', sizes.appends / 3),
        });
      const unanalysed = await alternately(config.rounds, measure(largeDb.store), measure(emptyDb.store));
      for (const p of [pool, emptyPool]) {
        await p.query('ANALYZE stored_domain_events');
        await p.query('ANALYZE event_store_streams');
      }
      await pool.query('CHECKPOINT');
      const analysed = await alternately(config.rounds, measure(largeDb.store), measure(emptyDb.store));
      const rows: [string, Figures, Figures][] = [
        ['no statistics', unanalysed.large, unanalysed.empty],
        ['analysed', analysed.large, analysed.empty],
      ];
      printTable(
        `log of ${sizes.logSize.toLocaleString('en-US')} events vs an empty log (medians of ${config.rounds} alternating rounds)`,
        ['statistics', 'append p50 ms', 'empty log', 'ratio', 'read 1000 p50 ms', 'empty log', 'ratio'],
        rows.map(([name, large, empty]) => [
          name,
          fmt(large.appendP50),
          fmt(empty.appendP50),
          `${fmt(large.appendP50 / empty.appendP50)}x`,
          fmt(large.thousandMs),
          fmt(empty.thousandMs),
          `${fmt(large.thousandMs / empty.thousandMs)}x`,
        ]),
      );
      const phase = `11 log of ${sizes.logSize.toLocaleString('en-US')}`;
      return rows.flatMap(([name, large, empty]): ResultRow[] => [
        {
          phase,
          metric: `single append p50, ${name}, vs empty log`,
          unit: 'ms',
          store: large.appendP50,
          baseline: empty.appendP50,
          target: GROWTH_TARGET,
        },
        {
          phase,
          metric: `1000-event read p50, ${name}, vs empty log`,
          unit: 'ms',
          store: large.thousandMs,
          baseline: empty.thousandMs,
          target: GROWTH_TARGET,
        },
      ]);
    }),
  );
}
