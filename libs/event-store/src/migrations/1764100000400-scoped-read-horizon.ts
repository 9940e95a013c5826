import { MigrationInterface, QueryRunner } from 'typeorm';

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

/** The body of event_store_read_batch with a given horizon condition (the rest as in the base migration). */
const readBatch = (horizonCondition: string) => `
  CREATE OR REPLACE FUNCTION event_store_read_batch(p_tenant_id text, p_after_xid xid8, p_after_position bigint,
                                                    p_limit integer, p_event_types text[])
   RETURNS SETOF stored_domain_events
   LANGUAGE plpgsql AS $$
   BEGIN
     IF p_tenant_id IS NULL THEN
       PERFORM set_config('role', 'event_store_system', true);
     ELSE
       PERFORM set_config('app.tenant_id', p_tenant_id, true);
       PERFORM set_config('role', 'event_store_tenant', true);
     END IF;
     RETURN QUERY EXECUTE
       'SELECT e.* FROM stored_domain_events e
         WHERE (e.transaction_id, e.global_position) > ($2, $3)
           AND ${horizonCondition}'
       || CASE WHEN p_tenant_id IS NULL THEN '' ELSE ' AND e.tenant_id = $1' END
       || CASE WHEN p_event_types IS NULL THEN '' ELSE ' AND e.event_type = ANY ($5)' END
       || ' ORDER BY e.transaction_id, e.global_position LIMIT $4'
       USING p_tenant_id, p_after_xid, p_after_position, p_limit, p_event_types;
   END $$`;

// CREATE OR REPLACE drops a function's SET clauses: the planner settings of
// PlansWithoutStatistics1764100000300 (decision 0014) are applied again.
const READ_BATCH_SETTINGS = [
  `ALTER FUNCTION event_store_read_batch(text, xid8, bigint, integer, text[]) SET enable_sort = off`,
  `ALTER FUNCTION event_store_read_batch(text, xid8, bigint, integer, text[]) SET random_page_cost = 1`,
];

const UP = [
  // The oldest transaction that can still commit events into this database.
  // Every top-level transaction id running at the statement's snapshot (xip)
  // is kept unless it is positively known to belong to another database: a
  // backend connected elsewhere (pg_stat_activity.backend_xid, shown to every
  // role) or a transaction prepared elsewhere. A backend only ever writes to
  // the database it is connected to, so no event can carry such an id.
  // Unknown owners (background workers without a database, a backend whose
  // row is missing) are kept, so the result lies between the cluster-wide
  // pg_snapshot_xmin (today's horizon, the fallback) and pg_snapshot_xmax.
  // - STABLE, not VOLATILE: it must see the calling statement's snapshot, the
  //   one the rows are read with. A fresher snapshot could place the horizon
  //   past a transaction that committed after the rows' snapshot was taken,
  //   and a checkpoint would pass its events unread.
  // - pg_stat_clear_snapshot() first: pg_stat_activity is cached for the
  //   transaction on first use. Read after the snapshot, every id in xip
  //   still belongs to the backend that pg_stat_activity shows in its slot;
  //   a cache from an earlier statement could pair an id with a backend that
  //   has since left that slot.
  // - Ids are compared on their low 32 bits (xid(xid8)): every id compared is
  //   running now, so within 2^31 of the next id, and the epoch cannot differ.
  // - The caller's own id (not in xip) bounds it too, as it bounds xmin.
  // Callers evaluate it once per statement: (SELECT event_store_read_horizon()).
  `CREATE OR REPLACE FUNCTION event_store_read_horizon() RETURNS xid8
   LANGUAGE sql STABLE AS $$
     SELECT pg_stat_clear_snapshot();
     SELECT least(
              coalesce(
                (SELECT min(x) FROM pg_snapshot_xip(s) AS x
                  WHERE xid(x) NOT IN (
                          SELECT a.backend_xid FROM pg_stat_activity a
                           WHERE a.backend_xid IS NOT NULL
                             AND a.datid <> (SELECT oid FROM pg_database WHERE datname = current_database())
                          UNION ALL
                          SELECT p.transaction FROM pg_prepared_xacts p
                           WHERE p.database <> current_database())),
                pg_snapshot_xmax(s)),
              pg_current_xact_id_if_assigned())
       FROM pg_current_snapshot() AS s;
   $$`,
  readBatch('e.transaction_id < (SELECT event_store_read_horizon())'),
  ...READ_BATCH_SETTINGS,
];

const DOWN = [
  readBatch('e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())'),
  ...READ_BATCH_SETTINGS,
  `DROP FUNCTION IF EXISTS event_store_read_horizon()`,
];
