import { BenchContext } from './context';
import { AGGREGATE_TYPE, EVENT_TYPE, makeEvents } from './payload';
import { ResultRow, atLeast, atMost } from './report';
import { alternate } from './rounds';
import { median, msSince, now, percentile, rate } from './stats';

const MB = 1024 * 1024;

/** Phase 4: read one stream of `streamLength` events, store vs one plain SELECT of the same rows. */
export async function readStream(ctx: BenchContext): Promise<ResultRow[]> {
  const { streamLength, warmup, count } = ctx.config.read;
  const aggregateId = 'read-stream';
  for (let written = 0; written < streamLength; written += 1000) {
    await ctx.store.appendEvents(makeEvents(aggregateId, Math.min(1000, streamLength - written), written), ctx.storeTenant);
  }
  const measure = async (read: () => Promise<unknown[]>): Promise<number> => {
    for (let i = 0; i < warmup; i++) await read();
    const latencies: number[] = [];
    for (let i = 0; i < count; i++) {
      const t = now();
      const rows = await read();
      latencies.push(msSince(t));
      if (rows.length !== streamLength) throw new Error(`read ${rows.length} events, expected ${streamLength}`);
    }
    return percentile(latencies, 50);
  };
  const runs = await alternate(
    ctx.config.rounds,
    () => measure(() => ctx.store.getEventsForAggregate(aggregateId, ctx.storeTenant)),
    () => measure(() => ctx.baseline.readStream(ctx.storeTenant, aggregateId)),
  );
  const phase = `4 W5 read ${streamLength}-event stream`;
  const rows: ResultRow[] = [
    { phase, metric: 'latency p50', unit: 'ms', store: median(runs.store), baseline: median(runs.baseline), target: atMost(1.2) },
  ];
  if (ctx.config.diag) {
    const diag = await alternate(
      ctx.config.rounds,
      () => measure(() => ctx.store.getEventsForAggregate(aggregateId, ctx.storeTenant)),
      () => measure(() => ctx.baseline.readStreamInTenantTx(ctx.storeTenant, aggregateId)),
    );
    rows.push({
      phase,
      metric: 'DIAG p50 vs the SELECT in a 4-round-trip RLS tx',
      unit: 'ms',
      store: median(diag.store),
      baseline: median(diag.baseline),
    });
  }
  return rows;
}

/**
 * Seeds `events` rows for one tenant with INSERT … SELECT generate_series as
 * the superuser (the append-only trigger allows inserts). The secondary
 * indexes are dropped during the load and rebuilt from their own definitions
 * afterwards: one sorted build is far faster than a million index
 * insertions, and the rows and indexes end up the same.
 */
export async function seedStream(ctx: BenchContext, tenantId: string): Promise<number> {
  const total = ctx.config.stream.events;
  const chunk = 250_000;
  const pool = ctx.baseline.pool;
  const start = now();
  // Constraint-backed indexes (primary key, unique) stay; they cannot be dropped alone.
  const { rows: indexes } = await pool.query<{ name: string; definition: string }>(
    `SELECT i.indexname AS name, i.indexdef AS definition FROM pg_indexes i
      WHERE i.schemaname = current_schema() AND i.tablename = 'stored_domain_events'
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
  );
  // Names come from the catalog, quoted with format(%I) by the server.
  for (const index of indexes) await pool.query(`DO $$ BEGIN EXECUTE format('DROP INDEX %I', '${index.name.replace(/'/g, "''")}'); END $$`);
  try {
    for (let first = 0; first < total; first += chunk) {
      const last = Math.min(total, first + chunk) - 1;
      await pool.query(
        `INSERT INTO stored_domain_events
           (event_id, tenant_id, aggregate_type, aggregate_id, aggregate_version, event_type, event_version, occurred_at, data, metadata)
         SELECT gen_random_uuid(), $1, $2, 'seed-' || (g / 1000), (g % 1000) + 1, $3, 1, now(),
                jsonb_build_object('index', g, 'title', 'Requirement approved', 'amount', 42.5, 'tags', jsonb_build_array('bench', 'audit')),
                jsonb_build_object('userId', 'bench-user', 'correlationId', gen_random_uuid(), 'source', 'bench')
           FROM generate_series($4::int, $5::int) AS g`,
        [tenantId, AGGREGATE_TYPE, EVENT_TYPE, first, last],
      );
    }
  } finally {
    // The definitions are the catalog's own CREATE INDEX statements.
    for (const index of indexes) await pool.query(index.definition);
  }
  await pool.query('ANALYZE stored_domain_events');
  return msSince(start);
}

interface StreamRun {
  eventsPerSecond: number;
  rssGrowthMb: number;
  /** With BENCH_DIAG=1: growth of heapUsed measured right after a forced GC every 100,000 events. */
  liveHeapGrowthMb: number;
}

/** Counts what `consume` yields while sampling RSS; fails if not every seeded event arrived. */
async function measureStream(expected: number, consume: (onEvent: () => void) => Promise<void>, diag = false): Promise<StreamRun> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const rssBefore = process.memoryUsage.rss();
  const heapBefore = process.memoryUsage().heapUsed;
  let peak = rssBefore;
  let livePeak = heapBefore;
  let seen = 0;
  const start = now();
  await consume(() => {
    if (++seen % 1000 === 0) peak = Math.max(peak, process.memoryUsage.rss());
    // Live memory, not allocator slack: what survives a full GC must not grow with the log.
    if (diag && gc && seen % 100_000 === 0) {
      gc();
      livePeak = Math.max(livePeak, process.memoryUsage().heapUsed);
    }
  });
  const ms = msSince(start);
  peak = Math.max(peak, process.memoryUsage.rss());
  if (seen !== expected) throw new Error(`streamed ${seen} events, expected ${expected}`);
  return {
    eventsPerSecond: rate(seen, ms),
    rssGrowthMb: (peak - rssBefore) / MB,
    liveHeapGrowthMb: (livePeak - heapBefore) / MB,
  };
}

/** Phase 5: streamEvents over the seeded tenant vs a plain keyset loop over the same rows. */
export async function streamAll(ctx: BenchContext, tenantId: string): Promise<ResultRow[]> {
  const expected = ctx.config.stream.events;
  const pageSize = ctx.config.stream.pageSize;
  // Warm-up, unmeasured: V8 sizes the heap by the allocation rate, and the
  // first pass of either side grows it to its working size once (about
  // 100 MB here). Growth after that is what would grow with the log.
  const warmup = Math.min(expected, 300_000);
  let warmed = 0;
  for await (const event of ctx.store.streamEvents({ tenantId, batchSize: pageSize }))
    if (event.tenantId === tenantId && ++warmed >= warmup) break;
  warmed = 0;
  for await (const page of ctx.baseline.keysetPages(tenantId, pageSize)) if ((warmed += page.length) >= warmup) break;
  const runs = await alternate(
    ctx.config.rounds,
    () =>
      measureStream(
        expected,
        async (onEvent) => {
          for await (const event of ctx.store.streamEvents({ tenantId, batchSize: pageSize })) {
            if (event.tenantId === tenantId) onEvent();
          }
        },
        ctx.config.diag,
      ),
    () =>
      measureStream(
        expected,
        async (onEvent) => {
          // The SELECT filters by tenant (no RLS): every row counts.
          for await (const page of ctx.baseline.keysetPages(tenantId, pageSize)) for (let i = 0; i < page.length; i++) onEvent();
        },
        ctx.config.diag,
      ),
  );
  const phase = `5 W6 stream ${expected.toLocaleString('en-US')} events`;
  return [
    {
      phase,
      metric: 'throughput',
      unit: 'ev/s',
      store: median(runs.store.map((x) => x.eventsPerSecond)),
      baseline: median(runs.baseline.map((x) => x.eventsPerSecond)),
      target: atLeast(0.9),
    },
    // The worst round, not the median: a leak shows in any round. Measured
    // after the warm-up pass. RSS also moves with V8's heap sizing (tens of
    // MB either way between passes over the same events); BENCH_DIAG=1 adds
    // the live heap after forced GCs, which is what grows if anything leaks.
    {
      phase,
      metric: 'peak RSS growth (max of rounds)',
      unit: 'MB',
      store: Math.max(...runs.store.map((x) => x.rssGrowthMb)),
      baseline: Math.max(...runs.baseline.map((x) => x.rssGrowthMb)),
      target: atMost(1.2),
    },
    ...(ctx.config.diag
      ? [
          {
            phase,
            metric: 'DIAG live heap growth after GC (max of rounds)',
            unit: 'MB',
            store: Math.max(...runs.store.map((x) => x.liveHeapGrowthMb)),
            baseline: Math.max(...runs.baseline.map((x) => x.liveHeapGrowthMb)),
          },
        ]
      : []),
  ];
}
