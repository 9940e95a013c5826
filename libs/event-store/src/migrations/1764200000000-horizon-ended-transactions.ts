import { MigrationInterface, QueryRunner } from 'typeorm';
import { EVENT_STORE_READ_HORIZON } from '../database/sql/event-store-read-horizon.sql';
import { EVENT_STORE_TRANSACTION_MAY_HOLD_EVENTS } from '../database/sql/event-store-transaction-may-hold-events.sql';
import { READ_HORIZON_1764100000400 } from './history/1764100000400-event-store-read-horizon.sql';

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

const UP = [EVENT_STORE_TRANSACTION_MAY_HOLD_EVENTS, PROBE_OWNER, EVENT_STORE_READ_HORIZON];

const DOWN = [READ_HORIZON_1764100000400, `DROP FUNCTION event_store_transaction_may_hold_events(xid8)`];
