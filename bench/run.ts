/**
 * `npm run bench`: the store's public API against the strongest plain-SQL
 * baseline we know (bench/baseline.ts: one INSERT … SELECT FROM unnest per
 * append in BEGIN/COMMIT, keyset SELECTs of the needed columns) on the same
 * PostgreSQL server, table and indexes, caller-supplied event ids on both
 * sides. Every row with a target prints met / not met. Not part of the tests.
 *
 * Environment: BENCH_DATABASE_URL (default: a fresh es_bench_<random>
 * database, dropped at the end), BENCH_QUICK=1 (smoke run), BENCH_ROUNDS
 * (default 3), BENCH_POOL_SIZE (default 10, both sides), BENCH_STREAM_EVENTS
 * (default 1,000,000), BENCH_ONLY (comma list of phase numbers, e.g. "1,4"),
 * BENCH_APPEND_CONCURRENCY (the store's appendConcurrency; default its own),
 * BENCH_FOREIGN_TX=1 (phase 7 with a transaction held open in the admin
 * database while the appenders write), BENCH_DIAG=1 (diagnostic rows).
 *
 * Phases (W1-W6: the workloads of issue 10): 1 W1 single append, 2 W2
 * concurrent appenders, 3 W3 batches, 12 W4 contention on one stream
 * (run after 3), 4 W5 stream read, 5 W6 streamEvents, 6 subscription
 * catch-up, 7 commit-to-subscriber latency, 8 projection rebuild, 9 GDPR
 * erasure (15k and 30k events) and the stall it causes to another tenant's
 * reader, 10 a new tenant's appends as its log grows, 11 appends and stream
 * reads on an empty and on a large log, with and without ANALYZE (10 and 11
 * each in a fresh database of their own), 13 the MCP tools through `npm run mcp`
 * (stdio) against the in-process store (bench/mcp-phase.ts).
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { batchAppend, concurrentAppend, singleAppend } from './append-phases';
import { contention } from './contention-phase';
import { erasure } from './erasure-phases';
import { DeliveryApp, bootDeliveryApp, commitToSubscriber, projectionRebuild, subscriptionCatchUp } from './delivery-phases';
import { RawBaseline } from './baseline';
import { loadConfig } from './config';
import { BenchContext } from './context';
import { ResultRow, printRow, printSummary } from './report';
import { readStream, seedStream, streamAll } from './read-phases';
import { BenchDatabase, BenchStore, bootStore, openBaselinePool, openBenchDatabase } from './setup';
import { fmt, msSince, now } from './stats';
import { growthSizes, logGrowth, tenantGrowth } from './growth-phases';
import { mcpTools } from './mcp-phase';

async function main(): Promise<void> {
  const config = loadConfig();
  const only = process.env.BENCH_ONLY?.split(',').map((s) => Number(s.trim()));
  const enabled = (phase: number) => !only || only.includes(phase);
  const runId = randomBytes(3).toString('hex');
  const started = now();

  let database: BenchDatabase | undefined;
  let booted: BenchStore | undefined;
  let baseline: RawBaseline | undefined;
  let delivery: DeliveryApp | undefined;
  const cleanup = async () => {
    await delivery?.app.close().catch(() => undefined);
    await booted?.app.close().catch(() => undefined);
    await baseline?.pool.end().catch(() => undefined);
    await database?.drop().catch((error) => console.error('could not drop the bench database:', error));
  };
  process.once('SIGINT', () => void cleanup().finally(() => process.exit(130)));

  try {
    database = await openBenchDatabase();
    booted = await bootStore(database.url, config.poolSize);
    baseline = new RawBaseline(openBaselinePool(database.url, config.poolSize), `bench-raw-${runId}`);
    const ctx: BenchContext = { config, store: booted.store, baseline, storeTenant: `bench-store-${runId}` };
    const {
      rows: [server],
    } = await baseline.pool.query<{ server_version: string }>('SHOW server_version');
    console.log(
      `event store bench — ${config.quick ? 'QUICK smoke run' : 'full run'}; ${config.rounds} rounds per phase (medians); ` +
        `pool ${config.poolSize} connections each side; PostgreSQL ${server.server_version}; node ${process.version}; ${cpus().length} CPUs` +
        `${(globalThis as { gc?: unknown }).gc ? '' : '; no --expose-gc'}`,
    );
    console.log(
      `database ${new URL(database.url).pathname.slice(1)}; store tenant ${ctx.storeTenant} (RLS on), baseline tenant ${baseline.tenantId} (superuser, INSERT … unnest / keyset SELECT)\n`,
    );

    const results: ResultRow[] = [];
    const phase = async (n: number, title: string, run: () => Promise<ResultRow[]>) => {
      if (!enabled(n)) return;
      console.log(`[${n}] ${title}`);
      const t = now();
      const rows = await run();
      rows.forEach(printRow);
      console.log(`  (${fmt(msSince(t) / 1000)} s)`);
      results.push(...rows);
    };
    await phase(1, `single append, 1 client, ${config.single.count} appends after ${config.single.warmup} warm-up`, () =>
      singleAppend(ctx),
    );
    await phase(
      2,
      `${config.concurrent.workers} concurrent appenders x ${config.concurrent.perWorker} single-event appends, distinct streams`,
      () => concurrentAppend(ctx),
    );
    await phase(3, `batch appends: ${config.batches.map((b) => `${b.count} x ${b.size}`).join(', ')} events, one stream per batch`, () =>
      batchAppend(ctx),
    );
    await phase(
      12,
      `W4: ${config.contention.writers} writers x ${config.contention.perWriter} single-event appends to ONE stream, expected versions, read the tail and retry on conflict`,
      () => contention(ctx),
    );
    await phase(4, `read a ${config.read.streamLength}-event stream, ${config.read.count} reads after ${config.read.warmup} warm-up`, () =>
      readStream(ctx),
    );
    const streamTenant = `bench-stream-${runId}`;
    if ([5, 6, 8].some(enabled)) {
      const seedMs = await seedStream(ctx, streamTenant);
      console.log(`seeded ${config.stream.events.toLocaleString('en-US')} events for phases 5, 6 and 8 in ${fmt(seedMs / 1000)} s\n`);
    }
    await phase(
      5,
      `streamEvents over ${config.stream.events.toLocaleString('en-US')} seeded events (pages of ${config.stream.pageSize})`,
      () => streamAll(ctx, streamTenant),
    );
    if ([6, 7, 8].some(enabled)) delivery = await bootDeliveryApp(database.url, config.poolSize, streamTenant, runId);
    await phase(
      6,
      `a no-op subscriber catching up over the ${config.stream.events.toLocaleString('en-US')} seeded events vs a keyset read`,
      () => subscriptionCatchUp(ctx, delivery!, streamTenant, runId),
    );
    await phase(
      7,
      `commit-to-subscriber latency, ${config.concurrent.workers} appenders x ${config.concurrent.perWorker} single-event appends`,
      () => commitToSubscriber(ctx, delivery!, runId),
    );
    await phase(8, `rebuild of a counting projection over the ${config.stream.events.toLocaleString('en-US')} seeded events`, () =>
      projectionRebuild(ctx, delivery!, streamTenant),
    );
    await phase(9, `GDPR erasure of one subject (3 appends each, ANALYZE, then eraseSubject) with a reader of another tenant polling`, () =>
      erasure(ctx, runId),
    );
    const growth = growthSizes(config.quick);
    await phase(
      10,
      `a new tenant's appends at ${growth.tenantSizes.map((n) => n.toLocaleString('en-US')).join(' / ')} own events (statistics know another tenant only)`,
      () => tenantGrowth(config),
    );
    await phase(
      11,
      `appends and 1000-event stream reads on a log of 0 and ${growth.logSize.toLocaleString('en-US')} events, with and without ANALYZE`,
      () => logGrowth(config),
    );
    await phase(
      13,
      'MCP tools through stdio (npm run mcp): emit_event latency and query_events of 100 events, budgets < 10 / < 100 ms',
      () => mcpTools(ctx, database!.url, runId),
    );

    console.log(`\nSummary (ratio = store / baseline; medians of ${config.rounds} rounds; total ${fmt(msSince(started) / 1000)} s)\n`);
    printSummary(results);
  } finally {
    await cleanup();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
