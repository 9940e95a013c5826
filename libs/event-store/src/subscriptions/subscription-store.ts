import { EventStoreDatabase, Queryable } from '../database/event-store-database';
import { StreamCheckpoint } from '../types/read-options';
import { CheckpointedEvent } from '../store/event-store.service';
import { describeError } from './dead-letter-store';
import {
  ACQUIRE_LEASE_SQL,
  ADVANCE_CHECKPOINT_SQL,
  DELETE_DEAD_LETTERS_OF_SQL,
  FINISH_REBUILD_SQL,
  FORCE_LEASE_SQL,
  HEAD_CHECKPOINT_SQL,
  MARK_REBUILD_SQL,
  PARK_EVENT_SQL,
  READER_LAG_SQL,
  READ_SUBSCRIPTION_SQL,
  RELEASE_LEASE_SQL,
  RENEW_LEASE_SQL,
  readerLagParameters,
} from './subscription-store.sql';

/** The lease owner's checkpoint moved under it (lease lost or a rebuild): stop and re-acquire. */
export class CheckpointFencedError extends Error {
  constructor(readonly subscriptionName: string) {
    super(`Subscription '${subscriptionName}' lost its lease or its checkpoint was reset by another process`);
    this.name = 'CheckpointFencedError';
  }
}

type CheckpointRow = { xid: string; position: string };

/** The stored state of a subscription: checkpoint and lease. */
export interface SubscriptionRow extends CheckpointRow {
  owner: string | null;
  lease_until: Date | null;
  /** When the rebuild under way (or interrupted) began; null when none is. */
  rebuild_started_at: Date | null;
}

/** Which events a subscription reads: one tenant or all, some types or all. */
export interface ReaderFilter {
  tenantId?: string;
  eventTypes?: string[];
}
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

  /** The stored row, or undefined before the first run created it. */
  async read(operation = 'readSubscription'): Promise<SubscriptionRow | undefined> {
    const [row] = await this.database.query<SubscriptionRow>(READ_SUBSCRIPTION_SQL, [this.name], operation);
    return row;
  }

  /** Whether the subscription row exists yet. */
  async exists(): Promise<boolean> {
    return (await this.read()) !== undefined;
  }

  /**
   * Matching events beyond `after` (those a reader will still deliver) and
   * the global position of the newest event: one query for lag and progress.
   */
  async countBehind(after: StreamCheckpoint, filter: ReaderFilter, operation = 'countBehind'): Promise<{ behind: number; head: string }> {
    const parameters = readerLagParameters(after, filter.tenantId, filter.eventTypes);
    const [row] = await this.database.query<{ behind: string; head: string }>(READER_LAG_SQL, parameters, operation);
    return { behind: Number(row.behind), head: row.head };
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

  /** Marks a rebuild begun, in the caller's transaction (the reset's). */
  async markRebuild(q: Queryable): Promise<void> {
    await q.query(MARK_REBUILD_SQL, [this.name, this.owner]);
  }

  /** Clears the rebuild mark once the log was replayed to its end. */
  async finishRebuild(): Promise<void> {
    await this.database.query(FINISH_REBUILD_SQL, [this.name, this.owner], 'finishRebuild');
  }

  /** Drops this subscription's dead letters (a rebuild replays their events anyway). */
  async clearDeadLetters(q: Queryable): Promise<void> {
    await q.query(DELETE_DEAD_LETTERS_OF_SQL, [this.name]);
  }
}
