import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** The two ways the store runs; every store test runs in both. */
export type DatabaseMode = 'embedded' | 'server';

/** A database made for one test file, and how to get rid of it. */
export interface TestDatabase {
  mode: DatabaseMode;
  /** For EventStoreModule options: `databaseUrl` (server) or `dataDir` (embedded). */
  databaseUrl?: string;
  dataDir?: string;
  drop(): Promise<void>;
}

/**
 * Admin URL of the test server. `TEST_DATABASE_URL` overrides; the default is
 * the local server of the development machines and CI.
 */
export const TEST_SERVER_URL = process.env.TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/postgres';

/**
 * Server mode is required (a failure, not a skip, when unreachable) when
 * `EVENT_STORE_TEST_SERVER=required`, as CI sets it. `off` skips it.
 */
export const SERVER_MODE = (process.env.EVENT_STORE_TEST_SERVER ?? 'auto') as 'required' | 'auto' | 'off';

let reachable: Promise<boolean> | undefined;

/** Whether the test server answers (checked once per test file). */
/** Runs `work` on a connection of the server's admin login (TEST_SERVER_URL), closed afterwards. */
export async function withServerAdmin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: TEST_SERVER_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export function serverReachable(): Promise<boolean> {
  reachable ??= (async () => {
    const client = new Client({ connectionString: TEST_SERVER_URL, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return reachable;
}

/** Creates a fresh, empty database: a new server database, or an in-memory PGlite. */
export async function createTestDatabase(mode: DatabaseMode): Promise<TestDatabase> {
  if (mode === 'embedded') return { mode, dataDir: 'memory://', drop: async () => undefined };
  const name = `es_test_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: TEST_SERVER_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(TEST_SERVER_URL);
  url.pathname = `/${name}`;
  return {
    mode,
    databaseUrl: url.toString(),
    drop: async () => {
      const client = new Client({ connectionString: TEST_SERVER_URL });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
