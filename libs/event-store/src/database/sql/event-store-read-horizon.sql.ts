// The current definition of event_store_read_horizon (decision 0018), applied by migration
// 1764200000000 (first created by 1764100000400). Called by read-horizon.sql.ts, horizon-monitor.sql.ts and the gap-safe batch reads.
//
// The oldest transaction that can still commit events into this database.
// Every top-level transaction id running at the statement's snapshot (xip)
// is kept unless it is positively known to belong to another database: a
// backend connected elsewhere (pg_stat_activity.backend_xid, shown to every
// role) or a transaction prepared elsewhere. A backend only ever writes to
// the database it is connected to, so no event can carry such an id.
// An id that pg_stat_activity lists in this database is kept. An id it does
// not list at all (a background worker without a database, or a transaction
// that ended after the snapshot was taken) is kept while it may still hold
// events of this store: event_store_transaction_may_hold_events, which looks
// with a newer snapshot. A long transaction of another database that ends
// in that moment therefore no longer sets the horizon back below events
// earlier statements returned (decision 0004, "Ended owners"). The result
// lies between pg_snapshot_xmin and pg_snapshot_xmax.
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
export const EVENT_STORE_READ_HORIZON = `CREATE OR REPLACE FUNCTION event_store_read_horizon() RETURNS xid8
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
                    AND (EXISTS (SELECT 1 FROM listed o WHERE o.id = xid(x) AND o.here)
                         OR event_store_transaction_may_hold_events(x))),
                pg_snapshot_xmax(s)),
              pg_current_xact_id_if_assigned())
       FROM pg_current_snapshot() AS s;
   $$`;
