import { EventStoreDatabase, Queryable } from '../database/event-store-database';
import { DeadLetter } from './dead-letter';
import { DELETE_DEAD_LETTER_SQL, DISCARD_DEAD_LETTERS_SQL, FAILED_RETRY_SQL, LIST_DEAD_LETTERS_SQL } from './subscription-store.sql';

/** Parked events, optionally of one subscription, in event order. */
export async function listDeadLetters(database: EventStoreDatabase, subscriptionName?: string): Promise<DeadLetter[]> {
  const rows = await database.query(LIST_DEAD_LETTERS_SQL, [subscriptionName ?? null], 'listDeadLetters');
  return rows.map((r) => ({
    id: r.id,
    subscriptionName: r.subscription_name,
    globalPosition: r.global_position,
    transactionId: r.transaction_id,
    eventId: r.event_id,
    tenantId: r.tenant_id,
    eventType: r.event_type,
    error: r.error,
    attempts: r.attempts,
    parkedAt: r.parked_at,
  }));
}

/** Removes one dead letter; false when it was gone already (another retry took it). */
export async function deleteDeadLetter(q: Queryable, id: string): Promise<boolean> {
  const removed = await q.query(DELETE_DEAD_LETTER_SQL, [id]);
  return removed.length > 0;
}

/**
 * Removes dead letters without handling their events: those of one
 * subscription, or the given ids, or both conditions. Returns the ids removed.
 */
export async function discardDeadLetters(database: EventStoreDatabase, subscriptionName?: string, ids?: string[]): Promise<string[]> {
  const rows = await database.query<{ id: string }>(
    DISCARD_DEAD_LETTERS_SQL,
    [subscriptionName ?? null, ids ?? null],
    'discardDeadLetters',
  );
  return rows.map((r) => r.id);
}

/** Counts one more failed attempt on a dead letter and keeps its newest error. */
export async function recordFailedRetry(database: EventStoreDatabase, id: string, error: unknown): Promise<void> {
  await database.query(FAILED_RETRY_SQL, [id, describeError(error)], 'retryDeadLetters');
}

/** A failure as stored in the dead letters: the message, bounded. */
export function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.slice(0, 2000);
}
