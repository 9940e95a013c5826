import { BELOW_READ_HORIZON } from '../database/read-horizon.sql';

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
  SELECT name, kind, checkpoint_xid::text AS xid, checkpoint_position::text AS position, owner, lease_until, updated_at
    FROM event_store_subscriptions WHERE name = $1`;

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

export const DELETE_DEAD_LETTER_SQL = `DELETE FROM event_store_dead_letters WHERE id = $1::bigint RETURNING id`;

export const DELETE_DEAD_LETTERS_OF_SQL = `DELETE FROM event_store_dead_letters WHERE subscription_name = $1`;

export const FAILED_RETRY_SQL = `
  UPDATE event_store_dead_letters SET attempts = attempts + 1, error = $2, parked_at = now() WHERE id = $1::bigint`;

/** The last event a gap-safe reader can see now: where a subscription that starts 'now' begins. */
export const HEAD_CHECKPOINT_SQL = `
  SELECT transaction_id::text AS xid, global_position::text AS position FROM stored_domain_events
   WHERE ${BELOW_READ_HORIZON}
   ORDER BY transaction_id DESC, global_position DESC LIMIT 1`;

/**
 * Events beyond a checkpoint that a reader will deliver, and the head of the
 * log. Served by ix_events_tx_order (range scan from the checkpoint).
 */
export function buildLagQuery(tenantId: string | undefined, eventTypes: string[] | undefined): { text: string; extra: unknown[] } {
  const conditions = ['(transaction_id, global_position) > ($1::xid8, $2::bigint)'];
  const extra: unknown[] = [];
  if (tenantId !== undefined) {
    extra.push(tenantId);
    conditions.push(`tenant_id = $${2 + extra.length}`);
  }
  if (eventTypes?.length) {
    extra.push(eventTypes);
    conditions.push(`event_type = ANY($${2 + extra.length}::text[])`);
  }
  return {
    text: `SELECT (SELECT count(*) FROM stored_domain_events WHERE ${conditions.join(' AND ')})::text AS behind,
                  (SELECT coalesce(max(global_position), 0) FROM stored_domain_events)::text AS head`,
    extra,
  };
}
