import { QueryRunner } from 'typeorm';
import { EventStoreDatabase } from '../database/event-store-database';
import { START_CHECKPOINT } from '../store/stream-events';
import { StreamCheckpoint } from '../types/read-options';
import { autocommit } from './autocommit';
import { runAsOwner } from './owner-transaction';
import { SubscriptionStore } from './subscription-store';

/**
 * The checkpoint the lease owner last stored, and the only way it moves:
 * every move is fenced by owner and previous value (a process that lost its
 * lease cannot overwrite the new owner's progress), and `position` changes
 * only once the move committed.
 */
export class SubscriptionCursor {
  position: StreamCheckpoint = START_CHECKPOINT;

  constructor(
    private readonly database: EventStoreDatabase,
    private readonly store: SubscriptionStore,
  ) {}

  /**
   * Moves the checkpoint to `to` and runs `work` in one owner transaction:
   * both commit or neither does.
   * @throws CheckpointFencedError when the lease was lost or the checkpoint reset meanwhile
   */
  async moveWith(to: StreamCheckpoint, operation: string, work: (runner: QueryRunner) => Promise<void>): Promise<void> {
    await runAsOwner(
      this.database,
      async (runner) => {
        // Fence first: the row lock also keeps a concurrent rebuild or takeover out until commit.
        await this.store.advance(runner, this.position, to);
        await work(runner);
      },
      operation,
    );
    this.position = to;
  }

  /**
   * Moves the checkpoint to `to` on its own (subscribers: their handlers ran outside any transaction).
   * @throws CheckpointFencedError
   */
  async move(to: StreamCheckpoint): Promise<void> {
    await this.store.advance(autocommit(this.database, 'advanceCheckpoint'), this.position, to);
    this.position = to;
  }
}
