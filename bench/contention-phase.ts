import { ConcurrencyError, NewDomainEvent } from '@nest-event-store/core';
import { BaselineConflict } from './baseline';
import { BenchContext } from './context';
import { makeEvent } from './payload';
import { ResultRow, atLeast, atMost } from './report';
import { alternate } from './rounds';
import { median, msSince, now, percentile, rate } from './stats';

interface ContentionRun {
  eventsPerSecond: number;
  p99: number;
  conflictsPerAppend: number;
}

/** One side of the contention phase: an append with an expected version, and a read of the stream's tail. */
interface Side {
  /** Resolves when stored, rejects with `isConflict` when the stream moved. */
  append(event: NewDomainEvent, expectedVersion: number): Promise<unknown>;
  isConflict(error: unknown): boolean;
  /** The stream's version after reading the events past `knownVersion`. */
  readTail(knownVersion: number): Promise<number>;
}

/**
 * Phase 12 (W4): `writers` writers append single events to ONE stream, each
 * with the version it last saw as expected version. On a conflict a writer
 * reads the stream's tail (the events it missed), takes the new version and
 * retries the same event (same caller id). Measured: successful events per
 * second, and the p99 of a successful append's latency from its first try.
 */
async function contend(side: Side, writers: number, perWriter: number, aggregateId: string): Promise<ContentionRun> {
  const latencies: number[] = [];
  let conflicts = 0;
  const start = now();
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      let known = await side.readTail(0);
      for (let i = 0; i < perWriter; i++) {
        const event = makeEvent(aggregateId, w * perWriter + i);
        const t = now();
        for (;;) {
          try {
            await side.append(event, known);
            known++;
            break;
          } catch (error) {
            if (!side.isConflict(error)) throw error;
            conflicts++;
            known = await side.readTail(known);
          }
        }
        latencies.push(msSince(t));
      }
    }),
  );
  const ms = msSince(start);
  const total = writers * perWriter;
  const version = await side.readTail(0);
  if (version !== total) throw new Error(`the contended stream holds ${version} events, expected ${total}`);
  return { eventsPerSecond: rate(total, ms), p99: percentile(latencies, 99), conflictsPerAppend: conflicts / total };
}

export async function contention(ctx: BenchContext): Promise<ResultRow[]> {
  const { writers, perWriter } = ctx.config.contention;
  await ctx.baseline.createStreamTable();
  const lastVersion = (rows: { aggregate_version?: unknown; aggregateVersion?: unknown }[], known: number) =>
    rows.length ? Number(rows[rows.length - 1].aggregate_version ?? rows[rows.length - 1].aggregateVersion) : known;
  const store = (aggregateId: string): Side => ({
    append: (event, expectedVersion) => ctx.store.appendEvent(event, ctx.storeTenant, { expectedVersion }),
    isConflict: (error) => error instanceof ConcurrencyError,
    readTail: async (known) =>
      lastVersion(await ctx.store.getEventsForAggregate(aggregateId, ctx.storeTenant, { fromVersion: known + 1 }), known),
  });
  const baseline = (aggregateId: string): Side => ({
    append: (event, expectedVersion) => ctx.baseline.appendExpecting([event], expectedVersion),
    isConflict: (error) => error instanceof BaselineConflict,
    readTail: async (known) => lastVersion(await ctx.baseline.readStream(ctx.baseline.tenantId, aggregateId, known), known),
  });
  const runs = await alternate(
    ctx.config.rounds,
    (r) => contend(store(`contended-s${r}`), writers, perWriter, `contended-s${r}`),
    async (r) => {
      await ctx.baseline.createStream(`contended-b${r}`);
      return contend(baseline(`contended-b${r}`), writers, perWriter, `contended-b${r}`);
    },
  );
  const pick = (key: keyof ContentionRun) => ({
    store: median(runs.store.map((x) => x[key])),
    baseline: median(runs.baseline.map((x) => x[key])),
  });
  const phase = `12 W4 ${writers} writers, one stream`;
  return [
    { phase, metric: 'successful throughput', unit: 'ev/s', ...pick('eventsPerSecond'), target: atLeast(0.9) },
    { phase, metric: 'latency p99 (first try to success)', unit: 'ms', ...pick('p99'), target: atMost(1.5) },
    { phase, metric: 'conflicts per successful append', unit: '', ...pick('conflictsPerAppend') },
  ];
}
