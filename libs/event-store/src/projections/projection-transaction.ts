import { QueryRunner } from 'typeorm';
import { ProjectionTransaction } from './projection-handler';

/** Wraps the worker's query runner as the narrow transaction handed to projections. */
export function toProjectionTransaction(runner: QueryRunner): ProjectionTransaction {
  return {
    query: (sql, parameters) => runner.query(sql, parameters),
    manager: runner.manager,
  };
}
