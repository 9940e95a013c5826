import { QueryRunner } from 'typeorm';
import { EventStoreDatabase, releaseRunner } from '../database/event-store-database';
import { isConnectionError, translateDriverError } from '../database/driver-errors';

/**
 * Runs `work` in a transaction as the connecting user, who owns the
 * subscription tables and the applications' read-model tables. Event tables
 * are not touched here: they are read through the store as the system role.
 */
export async function runAsOwner<T>(database: EventStoreDatabase, work: (q: QueryRunner) => Promise<T>, operation: string): Promise<T> {
  const runner = database.dataSource.createQueryRunner();
  let failure: unknown;
  try {
    await runner.connect();
    await runner.startTransaction();
    const result = await work(runner);
    await runner.commitTransaction();
    return result;
  } catch (error) {
    failure = error;
    if (runner.isTransactionActive && !isConnectionError(error)) await runner.rollbackTransaction().catch(() => undefined);
    throw translateDriverError(error, operation);
  } finally {
    // Discards the connection after a timeout or a dropped connection.
    await releaseRunner(runner, failure);
  }
}
