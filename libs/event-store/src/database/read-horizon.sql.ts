/**
 * The gap-safe read condition of every reader of the global order: the row's
 * transaction is below the oldest transaction that can still commit events
 * into this database (event_store_read_horizon, sql/event-store-read-horizon.sql.ts;
 * decision 0004). The horizon is an InitPlan, computed once per statement
 * from the statement's own snapshot.
 */
export const BELOW_READ_HORIZON = 'transaction_id < (SELECT event_store_read_horizon())';
