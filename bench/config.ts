/** Sizes of every phase; BENCH_QUICK=1 shrinks them to a smoke run. */
export interface BenchConfig {
  quick: boolean;
  /** Also measure diagnostic variants of the baseline (BENCH_DIAG=1). */
  diag: boolean;
  /** Repetitions of every measured phase (medians are reported). */
  rounds: number;
  /** Connections of the store's pool and of the baseline's pool. */
  poolSize: number;
  single: { warmup: number; count: number };
  concurrent: { workers: number; perWorker: number };
  /** W4: writers on one stream with expected versions, successful appends each. */
  contention: { writers: number; perWriter: number };
  batches: { size: number; count: number }[];
  read: { streamLength: number; warmup: number; count: number };
  stream: { events: number; pageSize: number };
}

function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

/** Reads the bench configuration from the environment. */
export function loadConfig(): BenchConfig {
  const quick = process.env.BENCH_QUICK === '1' || process.env.BENCH_QUICK === 'true';
  return {
    quick,
    diag: process.env.BENCH_DIAG === '1',
    rounds: intEnv('BENCH_ROUNDS', 3),
    poolSize: intEnv('BENCH_POOL_SIZE', 10),
    single: quick ? { warmup: 20, count: 200 } : { warmup: 200, count: 2000 },
    concurrent: quick ? { workers: 16, perWorker: 20 } : { workers: 16, perWorker: 300 },
    contention: quick ? { writers: 8, perWriter: 15 } : { writers: 8, perWriter: 150 },
    batches: quick
      ? [
          { size: 100, count: 5 },
          { size: 1000, count: 2 },
        ]
      : [
          { size: 100, count: 100 },
          { size: 1000, count: 20 },
        ],
    read: quick ? { streamLength: 1000, warmup: 3, count: 10 } : { streamLength: 1000, warmup: 10, count: 100 },
    stream: { events: intEnv('BENCH_STREAM_EVENTS', quick ? 20_000 : 1_000_000), pageSize: 1000 },
  };
}
