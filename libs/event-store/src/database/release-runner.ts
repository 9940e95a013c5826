import { QueryRunner } from 'typeorm';
import { isConnectionError } from './driver-errors';

/**
 * Returns the runner's connection to the pool, or discards it after a
 * connection-level error. A backend terminated mid-query (57P01) fails the
 * query before its socket closes; released normally, the pool would hand the
 * dying connection to the next unit of work, which then fails too. A query
 * the client stopped waiting for is still running or queued on its
 * connection, which therefore cannot serve anyone else either; its socket
 * is closed at once (pg would otherwise send a polite Terminate behind the
 * stuck query), so that PGlite's socket server drops what it still queues
 * for it. Releasing with the error is pg-pool's way to drop a connection;
 * TypeORM does the same on a connection 'error' event, through this
 * (non-public) method.
 */
export async function releaseRunner(runner: QueryRunner, failure: unknown): Promise<void> {
  const postgres = runner as unknown as {
    releasePostgresConnection?: (error?: unknown) => Promise<void>;
    databaseConnection?: { connection?: { stream?: { destroy(): void } } };
  };
  const broken = failure !== undefined && isConnectionError(failure);
  if (broken) postgres.databaseConnection?.connection?.stream?.destroy();
  const done = broken && postgres.releasePostgresConnection ? postgres.releasePostgresConnection(failure) : runner.release();
  await Promise.resolve(done).catch(() => undefined);
}
