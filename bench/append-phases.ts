import { NewDomainEvent } from '@nest-event-store/core';
import { BenchContext } from './context';
import { makeEvents } from './payload';
import { ResultRow, atLeast, atMost } from './report';
import { alternate } from './rounds';
import { median, msSince, now, percentile, rate } from './stats';

interface LatencyRun {
  p50: number;
  p99: number;
  eventsPerSecond: number;
}

/** Phase 1: one client, one event per append, one stream. */
export async function singleAppend(ctx: BenchContext): Promise<ResultRow[]> {
  const { warmup, count } = ctx.config.single;
  const measure = async (append: (event: NewDomainEvent, version: number) => Promise<unknown>, stream: string): Promise<LatencyRun> => {
    const events = makeEvents(stream, warmup + count);
    for (let i = 0; i < warmup; i++) await append(events[i], i);
    const latencies: number[] = new Array(count);
    const start = now();
    for (let i = 0; i < count; i++) {
      const t = now();
      await append(events[warmup + i], warmup + i);
      latencies[i] = msSince(t);
    }
    return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), eventsPerSecond: rate(count, msSince(start)) };
  };
  const runs = await alternate(
    ctx.config.rounds,
    (r) => measure((e, version) => ctx.store.appendEvent(e, ctx.storeTenant, { expectedVersion: version }), `single-s${r}`),
    (r) => measure((e, version) => ctx.baseline.append([e], version + 1), `single-b${r}`),
  );
  const pick = (key: keyof LatencyRun) => ({
    store: median(runs.store.map((x) => x[key])),
    baseline: median(runs.baseline.map((x) => x[key])),
  });
  const phase = '1 W1 single append';
  const rows: ResultRow[] = [
    { phase, metric: 'latency p50', unit: 'ms', ...pick('p50'), target: atMost(1.2) },
    { phase, metric: 'latency p99', unit: 'ms', ...pick('p99') },
    { phase, metric: 'throughput', unit: 'ev/s', ...pick('eventsPerSecond'), target: atLeast(0.9) },
  ];
  return rows;
}

/** Phase 2: N concurrent appenders, one event per append, each on its own stream. */
export async function concurrentAppend(ctx: BenchContext): Promise<ResultRow[]> {
  const { workers, perWorker } = ctx.config.concurrent;
  const measure = async (
    append: (event: NewDomainEvent, version: number) => Promise<unknown>,
    prefix: string,
  ): Promise<{ eps: number; p50: number }> => {
    const streams = Array.from({ length: workers }, (_, w) => makeEvents(`${prefix}-w${w}`, perWorker + 1));
    // Opens every pool connection before the clock starts.
    await Promise.all(streams.map((events) => append(events[0], 0)));
    const latencies: number[] = [];
    const start = now();
    await Promise.all(
      streams.map(async (events) => {
        for (let i = 1; i <= perWorker; i++) {
          const t = now();
          await append(events[i], i);
          latencies.push(msSince(t));
        }
      }),
    );
    return { eps: rate(workers * perWorker, msSince(start)), p50: percentile(latencies, 50) };
  };
  const runs = await alternate(
    ctx.config.rounds,
    (r) => measure((e, version) => ctx.store.appendEvent(e, ctx.storeTenant, { expectedVersion: version }), `conc-s${r}`),
    (r) => measure((e, version) => ctx.baseline.append([e], version + 1), `conc-b${r}`),
  );
  const phase = `2 W2 ${workers} concurrent appenders`;
  return [
    {
      phase,
      metric: 'latency p50',
      unit: 'ms',
      store: median(runs.store.map((x) => x.p50)),
      baseline: median(runs.baseline.map((x) => x.p50)),
    },
    {
      phase,
      metric: 'throughput',
      unit: 'ev/s',
      store: median(runs.store.map((x) => x.eps)),
      baseline: median(runs.baseline.map((x) => x.eps)),
      target: atLeast(1.3),
    },
  ];
}

/** Phase 3: appendEvents of `size` events to a new stream per batch, one client. */
export async function batchAppend(ctx: BenchContext): Promise<ResultRow[]> {
  const rows: ResultRow[] = [];
  for (const { size, count } of ctx.config.batches) {
    const measure = async (append: (events: NewDomainEvent[]) => Promise<unknown>, prefix: string): Promise<number> => {
      const batches = Array.from({ length: count + 1 }, (_, b) => makeEvents(`${prefix}-${b}`, size));
      await append(batches[0]); // warm-up (also prepares the baseline's statement of this size)
      const start = now();
      for (let b = 1; b <= count; b++) await append(batches[b]);
      return rate(size * count, msSince(start));
    };
    const runs = await alternate(
      ctx.config.rounds,
      (r) => measure((events) => ctx.store.appendEvents(events, ctx.storeTenant, { expectedVersion: 'no_stream' }), `batch${size}-s${r}`),
      (r) => measure((events) => ctx.baseline.append(events, 1), `batch${size}-b${r}`),
    );
    rows.push({
      phase: `3 W3 batch of ${size}`,
      metric: 'throughput',
      unit: 'ev/s',
      store: median(runs.store),
      baseline: median(runs.baseline),
      target: atLeast(0.9),
    });
  }
  return rows;
}
