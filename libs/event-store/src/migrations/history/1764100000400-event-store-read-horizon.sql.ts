// Frozen (decision 0018): this function as migration 1764100000400 created it.
// HorizonEndedTransactions1764200000000 replaced it; its `down` restores this text.
// The current definition: database/sql/event-store-read-horizon.sql.ts.
export const READ_HORIZON_1764100000400 = `CREATE OR REPLACE FUNCTION event_store_read_horizon() RETURNS xid8
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
   $$`;
