import { randomBytes } from 'node:crypto';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Client, Pool } from 'pg';
import { EventStoreModule, EventStoreService } from '@nest-event-store/core';

/** Admin URL used to create the throw-away bench database. */
export const ADMIN_URL = process.env.BENCH_ADMIN_URL ?? 'postgres://root@127.0.0.1:5432/postgres';

/** The database the bench runs in, and how to get rid of it. */
export interface BenchDatabase {
  url: string;
  /** Drops the database when the bench created it; a no-op for BENCH_DATABASE_URL. */
  drop(): Promise<void>;
}

/**
 * Uses BENCH_DATABASE_URL when set (kept afterwards), otherwise creates a
 * fresh `es_bench_<random>` database that `drop()` removes.
 */
export async function openBenchDatabase(): Promise<BenchDatabase> {
  const given = process.env.BENCH_DATABASE_URL;
  if (given) return { url: given, drop: async () => undefined };
  // The name is generated here from hex only, never from input.
  const name = `es_bench_${randomBytes(5).toString('hex')}`;
  await withAdmin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

async function withAdmin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The store booted through its public module, as an application would. */
export interface BenchStore {
  app: INestApplicationContext;
  store: EventStoreService;
}

/** Boots EventStoreModule.forRoot on the bench database (runs the migrations). */
export async function bootStore(url: string, poolSize: number): Promise<BenchStore> {
  // BENCH_APPEND_CONCURRENCY: the store's group-commit setting (default: the store's default).
  const concurrency = process.env.BENCH_APPEND_CONCURRENCY ? Number(process.env.BENCH_APPEND_CONCURRENCY) : undefined;
  const app = await NestFactory.createApplicationContext(
    EventStoreModule.forRoot({ databaseUrl: url, poolSize, appendConcurrency: concurrency }),
    {
      logger: ['error', 'warn'],
    },
  );
  return { app, store: app.get(EventStoreService) };
}

/** The baseline's plain pg pool (connects as the URL's user, a superuser here). */
export function openBaselinePool(url: string, poolSize: number): Pool {
  const pool = new Pool({ connectionString: url, max: poolSize });
  // An idle client ended by the final DROP DATABASE … WITH (FORCE) must not crash the report.
  pool.on('error', () => undefined);
  return pool;
}
