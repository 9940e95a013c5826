import { MigrationInterface, QueryRunner } from 'typeorm';
import { EVENT_STORE_APPEND_GROUP_FUNCTION, EVENT_STORE_APPEND_GROUP_SETTINGS } from '../store/sql/event-store-append-group.sql';
import { APPEND_1763900000000 } from './history/1763900000000-event-store-append.sql';
import { APPEND_1764100000300 } from './history/1764100000300-event-store-append.sql';
import { APPEND_GROUP_1763900000000 } from './history/1763900000000-event-store-append-group.sql';

/**
 * Plans that do not depend on statistics (docs/decisions/0014).
 *
 * Every index of stored_domain_events starts with tenant_id, so a statement
 * keyed by tenant can be served by any of them. With statistics on tenant_id
 * the planner prices `tenant_id = 'x'` from the tenant's share at the last
 * ANALYZE: a tenant the statistics do not know (new, or grown since) is
 * priced at one row, every tenant index then looks as cheap as the right
 * one, and the smallest wins with the rest of the key as a Filter: a scan of
 * the tenant's whole log per statement. Without statistics on tenant_id,
 * every tenant is priced at the same share of the table (0.5%), whatever
 * happened since the last ANALYZE, so the index that holds the rest of the
 * statement's key always wins. The other columns keep their statistics.
 *
 * Also: the append's idempotency probe is static SQL again and compares
 * metadata (issue 7); the group append locks its streams by full key; the
 * batch reader of the gap-safe order may not sort (it must read an index in
 * that order and stop at its limit).
 */
export class PlansWithoutStatistics1764100000300 implements MigrationInterface {
  name = 'PlansWithoutStatistics1764100000300';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of UP) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const statement of DOWN) await queryRunner.query(statement);
  }
}

// Statistics gathered before this migration stay in pg_statistic (ANALYZE
// skips a column with target 0 but does not clear what it holds). Only a
// superuser may remove them; otherwise the migration warns and says how.
const DROP_TENANT_STATISTICS = `
DO $$
BEGIN
  IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    DELETE FROM pg_statistic s USING pg_attribute a
     WHERE s.starelid = 'stored_domain_events'::regclass AND a.attrelid = s.starelid
       AND a.attnum = s.staattnum AND a.attname = 'tenant_id';
  ELSIF EXISTS (SELECT 1 FROM pg_stats WHERE schemaname = current_schema()
                   AND tablename = 'stored_domain_events' AND attname = 'tenant_id') THEN
    RAISE WARNING 'stored_domain_events.tenant_id keeps statistics from an earlier ANALYZE; as a superuser run: DELETE FROM pg_statistic WHERE starelid = ''stored_domain_events''::regclass AND staattnum = (SELECT attnum FROM pg_attribute WHERE attrelid = ''stored_domain_events''::regclass AND attname = ''tenant_id'')';
  END IF;
END $$`;

const READ_BATCH = 'event_store_read_batch(text, xid8, bigint, integer, text[])';

const UP = [
  `ALTER TABLE stored_domain_events ALTER COLUMN tenant_id SET STATISTICS 0`,
  DROP_TENANT_STATISTICS,
  APPEND_1764100000300,
  EVENT_STORE_APPEND_GROUP_FUNCTION,
  ...EVENT_STORE_APPEND_GROUP_SETTINGS,
  // A batch is the next rows of an index in (transaction_id, global_position)
  // order, up to the limit. Priced at 0.5% of the table, a big tenant of a
  // mid-sized table looks smaller than one batch, and the planner would read
  // and sort all of its rows for every batch. Without sorting, only ordered
  // index scans are left: the tenant's, or the global one (the only one for
  // all tenants). For one tenant the global one would filter on tenant_id;
  // it still looked cheaper at times, because its heap order is known
  // (transaction_id has statistics, correlation 1) while the tenant index's
  // is not and is priced as random reads. With a random page priced as a
  // sequential one, what is left to compare is how many rows each reads: the
  // tenant's index always reads fewer.
  `ALTER FUNCTION ${READ_BATCH} SET enable_sort = off`,
  `ALTER FUNCTION ${READ_BATCH} SET random_page_cost = 1`,
];

const DOWN = [
  `ALTER FUNCTION ${READ_BATCH} RESET enable_sort`,
  `ALTER FUNCTION ${READ_BATCH} RESET random_page_cost`,
  `ALTER TABLE stored_domain_events ALTER COLUMN tenant_id SET STATISTICS -1`,
  // The append functions as the base migration defined them.
  ...[APPEND_1763900000000, APPEND_GROUP_1763900000000].map((sql) => sql.replace(/^CREATE FUNCTION/, 'CREATE OR REPLACE FUNCTION')),
  `ALTER FUNCTION event_store_append_group(jsonb) SET enable_seqscan = off`,
];
