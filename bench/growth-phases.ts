import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { EventStoreService, NewDomainEvent } from '@event-store';
import { BenchConfig } from './config';
import { seedTenant } from './growth-seed';
import { makeEvents } from './payload';
import { ResultRow, atMost } from './report';
import { BenchStore, bootStore, openBaselinePool, openBenchDatabase } from './setup';
import { fmt, median, msSince, now, percentile } from './stats';

// Issue 13: every figure at the largest size within 1.2x of the empty-log figure.
const GROWTH_TARGET = atMost(1.2);

/** Sizes of the growth phases (BENCH_QUICK=1 shrinks them). */
export function growthSizes(quick: boolean): { established: number; tenantSizes: number[]; logSize: number; appends: number; batches: number } {
  return quick
    ? { established: 20_000, tenantSizes: [0, 10_000, 50_000], logSize: 200_000, appends: 100, batches: 2 }
    : { established: 100_000, tenantSizes: [0, 10_000, 100_000, 1_000_000], logSize: 5_000_000, appends: 300, batches: 3 };
}

interface Figures {
  appendP50: number;
  /** Median time of one appendEvents call of 1000 events (phase 9) or of one 1000-event stream read (phase 10). */
  thousandMs: number;
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
 * Phase 9: a new tenant grows. One established tenant is seeded and the table
 * analysed, so the statistics know the established tenant only; then the new
 * tenant's own log is grown by bulk load (no ANALYZE) to each size, and its
 * single-append p50 and 1000-event batch time are measured with caller ids.
 * The ratio column compares each size with the empty-log figure.
 */
export async function tenantGrowth(config: BenchConfig): Promise<ResultRow[]> {
  const sizes = growthSizes(config.quick);
  return withFreshStore(config, async ({ store }, pool) => {
    const established = 'growth-established';
    const tenant = 'growth-new';
    await seedTenant(pool, established, sizes.established, { streamPrefix: 'est', streamLength: 10, rebuildIndexes: true });
    await pool.query('ANALYZE stored_domain_events');
    await pool.query('ANALYZE event_store_streams');
    const measured: { size: number; figures: Figures }[] = [];
    let own = 0;
    for (const size of sizes.tenantSizes) {
      const started = now();
      await seedTenant(pool, tenant, size - own, { streamPrefix: `seed-${size}`, streamLength: 10, rebuildIndexes: size - own >= 500_000 });
      // The load's dirty pages and WAL are written now, not during the measurement.
      await pool.query('CHECKPOINT');
      const seededS = msSince(started) / 1000;
      const appendMs = await appendP50(store, tenant, `single-${size}`, sizes.appends);
      const thousandMs = await batchMs(store, tenant, `batch-${size}`, sizes.batches);
      const { rows } = await pool.query<{ n: string }>('SELECT count(*)::text AS n FROM stored_domain_events WHERE tenant_id = $1', [tenant]);
      own = Number(rows[0].n);
      measured.push({ size, figures: { appendP50: appendMs, thousandMs } });
      console.log(`  new tenant at ${size.toLocaleString('en-US')} own events (seeded in ${fmt(seededS)} s): append p50 ${fmt(appendMs)} ms, 1000-event batch ${fmt(thousandMs)} ms`);
    }
    const empty = measured[0].figures;
    printTable(
      `new tenant's growth (table analysed with ${sizes.established.toLocaleString('en-US')} events of another tenant only)`,
      ['own events', 'append p50 ms', 'x empty', 'batch 1000 ms', 'x empty'],
      measured.map(({ size, figures }) => [
        size.toLocaleString('en-US'),
        fmt(figures.appendP50),
        `${fmt(figures.appendP50 / empty.appendP50)}x`,
        fmt(figures.thousandMs),
        `${fmt(figures.thousandMs / empty.thousandMs)}x`,
      ]),
    );
    const last = measured[measured.length - 1];
    const phase = '9 new tenant growth';
    const at = `at ${last.size.toLocaleString('en-US')} own events vs empty`;
    return [
      { phase, metric: `single append p50 ${at}`, unit: 'ms', store: last.figures.appendP50, baseline: empty.appendP50, target: GROWTH_TARGET },
      { phase, metric: `1000-event batch ${at}`, unit: 'ms', store: last.figures.thousandMs, baseline: empty.thousandMs, target: GROWTH_TARGET },
    ];
  });
}

/**
 * Phase 10: the whole log grows. Single-append p50 and 1000-event stream-read
 * p50 of one tenant on an empty log, then after bulk-loading `logSize` events
 * over five tenants (the measured one holds a fifth), without statistics and
 * after ANALYZE.
 */
export async function logGrowth(config: BenchConfig): Promise<ResultRow[]> {
  const sizes = growthSizes(config.quick);
  return withFreshStore(config, async ({ store }, pool) => {
    const tenant = 'growth-measured';
    await store.appendEvents(makeEvents('read-1000', 1000), tenant, { expectedVersion: 'no_stream' });
    const measure = async (label: string): Promise<Figures> => {
      const figures = { appendP50: await appendP50(store, tenant, `single-${label}`, sizes.appends), thousandMs: await readMs(store, tenant, 'read-1000', sizes.appends / 3) };
      console.log(`  ${label}: append p50 ${fmt(figures.appendP50)} ms, 1000-event stream read p50 ${fmt(figures.thousandMs)} ms`);
      return figures;
    };
    const empty = await measure('empty log, no statistics');
    const started = now();
    const share = sizes.logSize / 5;
    for (const owner of ['growth-a', 'growth-b', 'growth-c', 'growth-d', tenant]) {
      await seedTenant(pool, owner, share, { streamPrefix: 'bulk', streamLength: 10, rebuildIndexes: share >= 500_000 });
    }
    await pool.query('CHECKPOINT');
    console.log(`  seeded ${sizes.logSize.toLocaleString('en-US')} events in ${fmt(msSince(started) / 1000)} s`);
    const unanalysed = await measure(`${sizes.logSize.toLocaleString('en-US')} events, no statistics`);
    await pool.query('ANALYZE stored_domain_events');
    await pool.query('ANALYZE event_store_streams');
    await pool.query('CHECKPOINT');
    const analysed = await measure(`${sizes.logSize.toLocaleString('en-US')} events, analysed`);
    const rows: [string, Figures][] = [['empty', empty], ['large, no statistics', unanalysed], ['large, analysed', analysed]];
    printTable(
      `log of 0 and ${sizes.logSize.toLocaleString('en-US')} events`,
      ['log', 'append p50 ms', 'x empty', 'read 1000 p50 ms', 'x empty'],
      rows.map(([name, f]) => [name, fmt(f.appendP50), `${fmt(f.appendP50 / empty.appendP50)}x`, fmt(f.thousandMs), `${fmt(f.thousandMs / empty.thousandMs)}x`]),
    );
    const phase = `10 log of ${sizes.logSize.toLocaleString('en-US')}`;
    return [
      { phase, metric: 'single append p50, no statistics vs empty', unit: 'ms', store: unanalysed.appendP50, baseline: empty.appendP50, target: GROWTH_TARGET },
      { phase, metric: 'single append p50, analysed vs empty', unit: 'ms', store: analysed.appendP50, baseline: empty.appendP50, target: GROWTH_TARGET },
      { phase, metric: '1000-event read p50, no statistics vs empty', unit: 'ms', store: unanalysed.thousandMs, baseline: empty.thousandMs, target: GROWTH_TARGET },
      { phase, metric: '1000-event read p50, analysed vs empty', unit: 'ms', store: analysed.thousandMs, baseline: empty.thousandMs, target: GROWTH_TARGET },
    ];
  });
}
