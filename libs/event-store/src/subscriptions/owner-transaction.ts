import { QueryRunner } from 'typeorm';
import { EventStoreDatabase } from '../database/event-store-database';

/**
 * Runs `work` in a transaction as the connecting user, who owns the
 * subscription tables and the applications' read-model tables. Event tables
 * are not touched here: they are read through the store as the system role.
 * The store's one transaction primitive (EventStoreDatabase.runAsLogin) does
 * the work, with its rollback, error translation and broken-connection release.
 */
export function runAsOwner<T>(database: EventStoreDatabase, work: (q: QueryRunner) => Promise<T>, operation: string): Promise<T> {
  return database.runAsLogin(work, operation);
}
