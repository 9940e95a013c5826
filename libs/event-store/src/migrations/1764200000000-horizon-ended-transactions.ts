import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The read horizon no longer steps back when a transaction of another
 * database ends while it is being computed (decision 0004, "Ended owners").
 *
 * `event_store_read_horizon()` keeps every id of the statement's snapshot
 * that pg_stat_activity does not place in another database. pg_stat_activity
 * is read after the snapshot, so a long transaction of another database that
 * ends in between is no longer listed there: it was kept, and the horizon
 * fell back to its id, below events every earlier statement had returned.
 * A query repeated a moment later then missed acknowledged events.
 *
 * Now an id that pg_stat_activity does not list at all is kept only while it
 * may still hold events of this store: it is running in a fresh snapshot, or
 * it committed events here (event_store_transaction_may_hold_events). An id
 * of this database that pg_stat_activity lists is kept as before, without
 * the probe. Readers in REPEATABLE READ see their transaction's snapshot in
 * the probe, where the id is still running: kept, as before.
 */
export class HorizonEndedTransactions1764200000000 implements MigrationInterface {
  name = 'HorizonEndedTransactions1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of UP) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const statement of DOWN) await queryRunner.query(statement);
  }
}

// The probe reads events of every tenant: it belongs to the owner of the other
// cross-tenant reads (the reader role, whatever its prefix, decision 0003).
// It answers one bit about a transaction id, never a row.
const PROBE = `
  CREATE FUNCTION event_store_transaction_may_hold_events(p_transaction_id xid8) RETURNS boolean
   LANGUAGE sql VOLATILE AS $$
     -- VOLATILE: this statement takes a snapshot of its own, newer than the caller's
     -- (in READ COMMITTED). Still running there, or committed with events: keep it.
     SELECT NOT pg_visible_in_snapshot(p_transaction_id, pg_current_snapshot())
         OR EXISTS (SELECT 1 FROM stored_domain_events WHERE transaction_id = p_transaction_id);
   $$`;

const PROBE_OWNER = `
  DO $do$
  DECLARE
    v_owner name := (SELECT pg_get_userbyid(proowner) FROM pg_proc
                      WHERE oid = 'event_store_read_all_batch(xid8,bigint,integer,text[])'::regprocedure);
  BEGIN
    EXECUTE format('GRANT CREATE ON SCHEMA %I TO %I', current_schema(), v_owner);
    EXECUTE format('ALTER FUNCTION event_store_transaction_may_hold_events(xid8) OWNER TO %I', v_owner);
    EXECUTE format('ALTER FUNCTION event_store_transaction_may_hold_events(xid8) SECURITY DEFINER SET search_path = %I, pg_temp',
                   current_schema());
    EXECUTE format('REVOKE CREATE ON SCHEMA %I FROM %I', current_schema(), v_owner);
  END $do$`;

/** event_store_read_horizon() with a given condition for ids pg_stat_activity does not list. */
const readHorizon = (unlisted: string) => `
  CREATE OR REPLACE FUNCTION event_store_read_horizon() RETURNS xid8
   LANGUAGE sql STABLE AS $$
     SELECT pg_stat_clear_snapshot();
     WITH listed AS (
       SELECT a.backend_xid AS id, a.datid = (SELECT oid FROM pg_database WHERE datname = current_database()) AS here
         FROM pg_stat_activity a
        WHERE a.backend_xid IS NOT NULL
       UNION ALL
       SELECT p.transaction, p.database = current_database() FROM pg_prepared_xacts p
     )
     SELECT least(
              coalesce(
                (SELECT min(x) FROM pg_snapshot_xip(s) AS x
                  WHERE NOT EXISTS (SELECT 1 FROM listed o WHERE o.id = xid(x) AND NOT o.here)
                    AND (EXISTS (SELECT 1 FROM listed o WHERE o.id = xid(x) AND o.here) OR ${unlisted})),
                pg_snapshot_xmax(s)),
              pg_current_xact_id_if_assigned())
       FROM pg_current_snapshot() AS s;
   $$`;

const UP = [PROBE, PROBE_OWNER, readHorizon('event_store_transaction_may_hold_events(x)')];

// As ScopedReadHorizon1764100000400 left it: every unlisted id is kept.
const DOWN = [readHorizon('true'), `DROP FUNCTION event_store_transaction_may_hold_events(xid8)`];
