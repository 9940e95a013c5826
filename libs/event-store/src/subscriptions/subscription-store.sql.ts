// SQL of the subscription table (checkpoint + lease) and the dead letters.
// Every statement is keyed by the primary key pk_event_store_subscriptions
// or by uq_event_store_dead_letters.

/** Creates the row on first run, or takes the lease when free, ours or expired. */
export const ACQUIRE_LEASE_SQL = `
  INSERT INTO event_store_subscriptions AS s (name, kind, checkpoint_xid, checkpoint_position, owner, lease_until)
  VALUES ($1, $2, $3::xid8, $4::bigint, $5, now() + $6 * interval '1 millisecond')
  ON CONFLICT (name) DO UPDATE
     SET owner = EXCLUDED.owner, lease_until = EXCLUDED.lease_until, updated_at = now()
   WHERE s.owner IS NULL OR s.owner = EXCLUDED.owner OR s.lease_until < now()
  RETURNING checkpoint_xid::text AS xid, checkpoint_position::text AS position`;

/** Takes the lease whoever holds it (rebuild): the old owner's next fenced write fails. */
export const FORCE_LEASE_SQL = `
  INSERT INTO event_store_subscriptions AS s (name, kind, owner, lease_until)
  VALUES ($1, $2, $3, now() + $4 * interval '1 millisecond')
  ON CONFLICT (name) DO UPDATE SET owner = EXCLUDED.owner, lease_until = EXCLUDED.lease_until, updated_at = now()
  RETURNING checkpoint_xid::text AS xid, checkpoint_position::text AS position`;

export const RENEW_LEASE_SQL = `
  UPDATE event_store_subscriptions SET lease_until = now() + $3 * interval '1 millisecond'
   WHERE name = $1 AND owner = $2
  RETURNING name`;

export const RELEASE_LEASE_SQL = `
  UPDATE event_store_subscriptions SET owner = NULL, lease_until = NULL, updated_at = now()
   WHERE name = $1 AND owner = $2`;

/**
 * Fenced compare-and-set of the checkpoint: only the lease owner, and only
 * from the checkpoint it read. A lost lease or a concurrent rebuild makes it
 * match no row, and the caller rolls back.
 */
export const ADVANCE_CHECKPOINT_SQL = `
  UPDATE event_store_subscriptions
     SET checkpoint_xid = $5::xid8, checkpoint_position = $6::bigint, updated_at = now()
   WHERE name = $1 AND owner = $2 AND checkpoint_xid = $3::xid8 AND checkpoint_position = $4::bigint
  RETURNING name`;

export const READ_SUBSCRIPTION_SQL = `
  SELECT name, kind, checkpoint_xid::text AS xid, checkpoint_position::text AS position, owner, lease_until, updated_at,
         rebuild_started_at
    FROM event_store_subscriptions WHERE name = $1`;

/** Marks a rebuild begun (beside the reset, in its transaction): until it finishes, a rebuild resumes instead of starting over. */
export const MARK_REBUILD_SQL = `UPDATE event_store_subscriptions SET rebuild_started_at = now() WHERE name = $1 AND owner = $2`;

/** The rebuild replayed the whole log: the next one starts over. */
export const FINISH_REBUILD_SQL = `UPDATE event_store_subscriptions SET rebuild_started_at = NULL, updated_at = now() WHERE name = $1 AND owner = $2`;

export const PARK_EVENT_SQL = `
  INSERT INTO event_store_dead_letters
    (subscription_name, global_position, transaction_id, event_id, tenant_id, event_type, error, attempts)
  VALUES ($1, $2::bigint, $3::xid8, $4::uuid, $5, $6, $7, $8)
  ON CONFLICT (subscription_name, global_position)
    DO UPDATE SET error = EXCLUDED.error, attempts = event_store_dead_letters.attempts + EXCLUDED.attempts, parked_at = now()`;

export const LIST_DEAD_LETTERS_SQL = `
  SELECT id::text, subscription_name, global_position::text, transaction_id::text, event_id, tenant_id, event_type,
         error, attempts, parked_at
    FROM event_store_dead_letters
   WHERE ($1::text IS NULL OR subscription_name = $1)
   ORDER BY subscription_name, global_position`;

// TypeORM answers a bare DELETE … RETURNING with [rows, count]; a SELECT over
// the removed rows answers rows, whatever the driver does with DELETE.
export const DELETE_DEAD_LETTER_SQL = `
  WITH removed AS (DELETE FROM event_store_dead_letters WHERE id = $1::bigint RETURNING id) SELECT id::text FROM removed`;

/** Removes dead letters by ids, of one subscription or of any (NULL); returns the removed rows. */
export const DISCARD_DEAD_LETTERS_SQL = `
  WITH removed AS (
    DELETE FROM event_store_dead_letters
     WHERE ($1::text IS NULL OR subscription_name = $1) AND ($2::bigint[] IS NULL OR id = ANY ($2::bigint[]))
    RETURNING id)
  SELECT id::text FROM removed`;

export const DELETE_DEAD_LETTERS_OF_SQL = `DELETE FROM event_store_dead_letters WHERE subscription_name = $1`;

export const FAILED_RETRY_SQL = `
  UPDATE event_store_dead_letters SET attempts = attempts + 1, error = $2, parked_at = now() WHERE id = $1::bigint`;

// The two reads below see every tenant: functions of the reader role
// (sql/event-store-head-checkpoint.sql.ts, sql/event-store-reader-lag.sql.ts),
// the only cross-tenant path (decision 0003).

/** The last event a gap-safe reader can see now: where a subscription that starts 'now' begins (ix_events_tx_order). */
export const HEAD_CHECKPOINT_SQL = `SELECT xid, "position" AS position FROM event_store_head_checkpoint()`;

/**
 * Events beyond a checkpoint that a reader will deliver (optionally of one
 * tenant and some types), and the head of the log. Served by
 * ix_events_tx_order (range scan from the checkpoint).
 * Parameters: after transaction id, after position, tenant or NULL, event types or NULL.
 */
export const READER_LAG_SQL = `SELECT behind, head FROM event_store_reader_lag($1::xid8, $2::bigint, $3::text, $4::text[])`;

/** The parameters of READER_LAG_SQL. */
export function readerLagParameters(
  after: { transactionId: string; globalPosition: string },
  tenantId: string | undefined,
  eventTypes: string[] | undefined,
): unknown[] {
  return [after.transactionId, after.globalPosition, tenantId ?? null, eventTypes?.length ? eventTypes : null];
}
