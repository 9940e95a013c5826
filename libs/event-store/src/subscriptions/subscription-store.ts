import { EventStoreDatabase, Queryable } from '../database/event-store-database';
import { StreamCheckpoint } from '../types/read-options';
import { CheckpointedEvent } from '../store/event-store.service';
import { DeadLetter } from './dead-letter';
import {
  ACQUIRE_LEASE_SQL,
  ADVANCE_CHECKPOINT_SQL,
  DELETE_DEAD_LETTERS_OF_SQL,
  FORCE_LEASE_SQL,
  HEAD_CHECKPOINT_SQL,
  LIST_DEAD_LETTERS_SQL,
  PARK_EVENT_SQL,
  READ_SUBSCRIPTION_SQL,
  RELEASE_LEASE_SQL,
  RENEW_LEASE_SQL,
} from './subscription-store.sql';

/** The lease owner's checkpoint moved under it (lease lost or a rebuild): stop and re-acquire. */
export class CheckpointFencedError extends Error {
  constructor(readonly subscriptionName: string) {
    super(`Subscription '${subscriptionName}' lost its lease or its checkpoint was reset by another process`);
    this.name = 'CheckpointFencedError';
  }
}

type CheckpointRow = { xid: string; position: string };
const toCheckpoint = (row: CheckpointRow): StreamCheckpoint => ({ transactionId: row.xid, globalPosition: row.position });

/** Lease, checkpoint and dead-letter operations of one subscription, for one owner. */
export class SubscriptionStore {
  constructor(
    private readonly database: EventStoreDatabase,
    readonly name: string,
    readonly kind: 'subscriber' | 'projection',
    readonly owner: string,
    private readonly leaseMs: number,
  ) {}

  /** Takes the lease if free, ours or expired; returns the checkpoint, or null when another process holds it. */
  async acquire(initial: StreamCheckpoint): Promise<StreamCheckpoint | null> {
    const rows = await this.database.query<CheckpointRow>(
      ACQUIRE_LEASE_SQL,
      [this.name, this.kind, initial.transactionId, initial.globalPosition, this.owner, this.leaseMs],
      'acquireSubscriptionLease',
    );
    return rows.length ? toCheckpoint(rows[0]) : null;
  }

  /** Takes the lease from whoever holds it. */
  async forceAcquire(): Promise<StreamCheckpoint> {
    const [row] = await this.database.query<CheckpointRow>(
      FORCE_LEASE_SQL,
      [this.name, this.kind, this.owner, this.leaseMs],
      'takeSubscriptionLease',
    );
    return toCheckpoint(row);
  }

  /** Extends the lease; false when another process took it. */
  async renew(): Promise<boolean> {
    const rows = await this.database.query(RENEW_LEASE_SQL, [this.name, this.owner, this.leaseMs], 'renewSubscriptionLease');
    return rows.length > 0;
  }

  async release(): Promise<void> {
    await this.database.query(RELEASE_LEASE_SQL, [this.name, this.owner], 'releaseSubscriptionLease');
  }

  /** Whether the subscription row exists yet. */
  async exists(): Promise<boolean> {
    return (await this.database.query(READ_SUBSCRIPTION_SQL, [this.name], 'readSubscription')).length > 0;
  }

  /** The checkpoint of the newest event a gap-safe reader can see (start 'now'). */
  async headCheckpoint(): Promise<StreamCheckpoint | null> {
    const rows = await this.database.query<CheckpointRow>(HEAD_CHECKPOINT_SQL, [], 'readHeadCheckpoint');
    return rows.length ? toCheckpoint(rows[0]) : null;
  }

  /**
   * Moves the checkpoint from `from` to `to`, fenced by owner and previous value.
   * @throws CheckpointFencedError when the lease was lost or the checkpoint reset meanwhile
   */
  async advance(q: Queryable, from: StreamCheckpoint, to: StreamCheckpoint): Promise<void> {
    const rows = await q.query(ADVANCE_CHECKPOINT_SQL, [
      this.name,
      this.owner,
      from.transactionId,
      from.globalPosition,
      to.transactionId,
      to.globalPosition,
    ]);
    if (!rows.length) throw new CheckpointFencedError(this.name);
  }

  /** Records an event as a dead letter (in the caller's transaction, beside the checkpoint move). */
  async park(q: Queryable, event: CheckpointedEvent, error: unknown, attempts: number): Promise<void> {
    await q.query(PARK_EVENT_SQL, [
      this.name,
      event.globalPosition,
      event.transactionId,
      event.eventId,
      event.tenantId,
      event.eventType,
      describeError(error),
      attempts,
    ]);
  }

  /** Drops this subscription's dead letters (a rebuild replays their events anyway). */
  async clearDeadLetters(q: Queryable): Promise<void> {
    await q.query(DELETE_DEAD_LETTERS_OF_SQL, [this.name]);
  }
}

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

/** A failure as stored in the dead letters: the message, bounded. */
export function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.slice(0, 2000);
}
