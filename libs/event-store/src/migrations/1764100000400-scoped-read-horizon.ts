import { MigrationInterface, QueryRunner } from 'typeorm';
import { EVENT_STORE_READ_BATCH_FUNCTION, EVENT_STORE_READ_BATCH_SETTINGS } from '../store/sql/event-store-read-batch.sql';
import { READ_BATCH_1763900000000 } from './history/1763900000000-event-store-read-batch.sql';
import { READ_HORIZON_1764100000400 } from './history/1764100000400-event-store-read-horizon.sql';

/**
 * The gap-safe read horizon scoped to this database (decision 0004): one SQL
 * function, `event_store_read_horizon()`, used by every reader of the global
 * order instead of `pg_snapshot_xmin(pg_current_snapshot())`, which waits for
 * transactions of every database of the cluster.
 *
 * `event_store_read_batch` changes in exactly one place: its horizon condition.
 */
export class ScopedReadHorizon1764100000400 implements MigrationInterface {
  name = 'ScopedReadHorizon1764100000400';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of UP) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const statement of DOWN) await queryRunner.query(statement);
  }
}

const UP = [READ_HORIZON_1764100000400, EVENT_STORE_READ_BATCH_FUNCTION, ...EVENT_STORE_READ_BATCH_SETTINGS];

const DOWN = [
  READ_BATCH_1763900000000.replace('CREATE FUNCTION', 'CREATE OR REPLACE FUNCTION'),
  ...EVENT_STORE_READ_BATCH_SETTINGS,
  `DROP FUNCTION IF EXISTS event_store_read_horizon()`,
];
