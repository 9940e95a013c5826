import { EntityManager, QueryRunner } from 'typeorm';

/**
 * The transaction that moves a subscription's checkpoint, as handed to a
 * transactional handler (a projection): what the handler writes commits
 * together with the checkpoint move, so each event takes effect exactly
 * once. It runs as the connecting user (the owner of the read-model tables).
 * Use only this transaction inside the handler: on embedded PGlite, which
 * runs one transaction at a time, waiting on another connection would
 * deadlock.
 */
export interface CheckpointTransaction {
  /** Runs parameterized SQL (`$1…$n`) in the transaction. */
  query<T = any>(sql: string, parameters?: unknown[]): Promise<T[]>;
  /** TypeORM access to the same transaction (repositories of read-model entities). */
  readonly manager: EntityManager;
}

/** Wraps the worker's query runner as the narrow transaction handed to handlers. */
export function toCheckpointTransaction(runner: QueryRunner): CheckpointTransaction {
  return {
    query: (sql, parameters) => runner.query(sql, parameters),
    manager: runner.manager,
  };
}
