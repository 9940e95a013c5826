/**
 * The transaction holding the read horizon back, if any: the backend or
 * prepared transaction whose id is event_store_read_horizon() while that is
 * below xmax. xact_start and query are NULL for other roles' sessions unless
 * the login has pg_read_all_stats; backend_xid and application_name are shown
 * to every role.
 */
export const HORIZON_HOLDER_SQL = `
  WITH h AS (
    SELECT horizon, horizon < pg_snapshot_xmax(pg_current_snapshot()) AS held
      FROM (SELECT event_store_read_horizon() AS horizon) x)
  SELECT h.horizon::text AS horizon, h.held,
         a.pid, a.application_name, a.backend_type, a.state, a.query, a.xact_start,
         extract(epoch FROM clock_timestamp() - a.xact_start)::float8 AS xact_age,
         p.gid, p.prepared,
         extract(epoch FROM clock_timestamp() - p.prepared)::float8 AS prepared_age
    FROM h
    LEFT JOIN pg_stat_activity a ON h.held AND a.backend_xid = xid(h.horizon)
    LEFT JOIN pg_prepared_xacts p ON h.held AND p.transaction = xid(h.horizon)
   LIMIT 1`;

/** Whether this login may read other roles' session details (age, statement). */
export const CAN_READ_ALL_STATS_SQL = `SELECT pg_has_role('pg_read_all_stats', 'USAGE') AS can_read`;

/**
 * Run inside a transaction that has taken an id (pg_current_xact_id() in an
 * earlier statement): does pg_stat_activity show it? If not, the horizon
 * cannot tell this database's transactions from others' and stays cluster-wide.
 */
export const OWN_XID_VISIBLE_SQL = `
  SELECT coalesce((SELECT backend_xid FROM pg_stat_activity WHERE pid = pg_backend_pid()) = xid(pg_current_xact_id()), false) AS visible`;
