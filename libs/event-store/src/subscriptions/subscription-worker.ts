import { Logger } from '@nestjs/common';
import { EventStoreDatabase } from '../database/event-store-database';
import { CheckpointedEvent, EventStoreService } from '../store/event-store.service';
import { START_CHECKPOINT } from '../store/stream-events';
import { StreamCheckpoint } from '../types/read-options';
import { toCheckpointTransaction } from './checkpoint-transaction';
import { describeError } from './dead-letter-store';
import { ResolvedDeliveryOptions } from './delivery.options';
import { DeliveryRun, EventDelivery } from './event-delivery';
import { RetryOrPark, StopSignal } from './retry-or-park';
import { sleep } from './sleep';
import { SubscriberDelivery } from './subscriber-delivery';
import { SubscriptionCursor } from './subscription-cursor';
import { SubscriptionLease } from './subscription-lease';
import { DeliveryProgress } from './subscription-status';
import { SubscriptionLeaseHeldError } from './subscription.errors';
import { RebuildOptions, RebuildResult } from '../projections/rebuild.options';
import { CheckpointFencedError, SubscriptionStore } from './subscription-store';
import { TransactionalDelivery } from './transactional-delivery';
import { WorkerDefinition } from './worker-definition';

/**
 * Runs one durable subscription in this process: takes its lease (one process
 * at a time), catches up from its checkpoint in batches, then follows live,
 * woken by NOTIFY / the publisher or by polling. Delivery is in the store's
 * gap-safe global order; how each event is handed over (subscriber or
 * transactional handler), retried and parked lives in the delivery classes,
 * the lease in SubscriptionLease, the fenced checkpoint in SubscriptionCursor.
 */
export class SubscriptionWorker implements DeliveryRun {
  private readonly logger: Logger;
  readonly store: SubscriptionStore;
  private readonly lease: SubscriptionLease;
  private readonly cursor: SubscriptionCursor;
  private running?: Promise<void>;
  private stopRequested = false;
  /** Aborted on stop or lease loss, to cut sleeps short. */
  private interrupt = new AbortController();
  private wakePending = false;
  private wakeWaiter?: () => void;

  constructor(
    readonly definition: WorkerDefinition,
    database: EventStoreDatabase,
    private readonly events: EventStoreService,
    private readonly options: ResolvedDeliveryOptions,
  ) {
    this.logger = new Logger(`EventStore:${definition.target.kind}:${definition.name}`);
    this.store = new SubscriptionStore(database, definition.name, definition.target.kind, options.ownerId, options.leaseDurationMs);
    this.cursor = new SubscriptionCursor(database, this.store);
    this.lease = new SubscriptionLease(this.store, options.leaseRenewIntervalMs, this.logger, () => {
      this.interrupt.abort();
      this.wake();
    });
  }

  get name(): string {
    return this.definition.name;
  }

  /** Whether this process holds the lease right now. */
  get isOwner(): boolean {
    return this.lease.isHeld;
  }

  /** Whether this worker runs in this process (started and not stopped), whether or not it holds the lease. */
  get isRunning(): boolean {
    return this.running !== undefined;
  }

  get shouldStop(): boolean {
    return this.stopRequested || this.lease.isLost;
  }

  get signal(): AbortSignal {
    return this.interrupt.signal;
  }

  /** Starts following (idempotent). */
  start(): void {
    if (this.running) return;
    this.stopRequested = false;
    this.running = this.run().finally(() => (this.running = undefined));
  }

  /** Stops after the event or chunk in hand, and releases the lease so another process takes over at once. */
  async stop(): Promise<void> {
    this.stopRequested = true;
    this.interrupt.abort();
    this.wake();
    await this.running;
  }

  /** New events may be there: read now instead of at the next poll. */
  wake(): void {
    this.wakePending = true;
    const waiter = this.wakeWaiter;
    this.wakeWaiter = undefined;
    waiter?.();
  }

  /**
   * Transactional handlers (projections) only: empties the read model and
   * replays the whole log into it, then resumes following live if the worker
   * was running. The lease is taken from whichever process holds it, or,
   * with `takeOver: false`, only when free. A rebuild marks itself begun in
   * the reset's transaction and clears the mark once at the end of the log:
   * an interrupted one (signal, crash) resumes from its checkpoint next time.
   * @throws SubscriptionLeaseHeldError when another process holds the lease and `takeOver` is false
   */
  async rebuild(options: RebuildOptions = {}): Promise<RebuildResult> {
    const target = this.definition.target;
    if (target.kind !== 'projection') throw new Error(`'${this.name}' is a subscriber; only projections can be rebuilt`);
    const wasRunning = this.running !== undefined;
    await this.stop();
    this.stopRequested = false;
    const checkpoint = options.takeOver === false ? await this.store.acquire(START_CHECKPOINT) : await this.store.forceAcquire();
    if (!checkpoint) {
      const row = await this.store.read();
      if (wasRunning) this.start();
      throw new SubscriptionLeaseHeldError(this.name, row?.owner ?? 'unknown', row?.lease_until ?? null);
    }
    this.beginOwnership(checkpoint);
    const interrupt = () => {
      this.stopRequested = true;
      this.interrupt.abort();
    };
    options.signal?.addEventListener('abort', interrupt, { once: true });
    if (options.signal?.aborted) interrupt();
    try {
      const resumed = !options.restart && (await this.store.read())?.rebuild_started_at != null;
      if (!resumed) {
        await this.cursor.moveWith(START_CHECKPOINT, 'resetProjection', async (runner) => {
          await this.store.clearDeadLetters(runner);
          await target.handler.reset(toCheckpointTransaction(runner));
          await this.store.markRebuild(runner);
        });
        this.logger.log('Read model reset; replaying the log');
      } else this.logger.log(`Resuming an interrupted rebuild after position ${this.cursor.position.globalPosition}`);
      let processed = 0;
      const progress = (p: DeliveryProgress) => {
        processed = p.processed;
        options.onProgress?.(p);
      };
      try {
        processed = await this.catchUp(progress);
      } catch (error) {
        // Interrupted while a failing event was being retried: what was applied stays, as after any chunk.
        if (!(error instanceof StopSignal) || !this.shouldStop) throw error;
      }
      const completed = !this.shouldStop;
      if (completed) await this.store.finishRebuild();
      this.logger.log(
        completed ? `Rebuilt from ${processed} event(s)` : `Rebuild interrupted after ${processed} event(s); run it again to resume`,
      );
      return { processed, completed, resumed };
    } finally {
      options.signal?.removeEventListener('abort', interrupt);
      await this.lease.end();
      this.stopRequested = false;
      if (wasRunning) this.start();
    }
  }

  private async run(): Promise<void> {
    while (!this.stopRequested) {
      let checkpoint: StreamCheckpoint | null;
      try {
        checkpoint = await this.store.acquire(await this.initialCheckpoint());
      } catch (error) {
        this.logger.error(`Could not take the lease: ${describeError(error)}`);
        await sleep(this.options.leaseRenewIntervalMs, this.interrupt.signal);
        continue;
      }
      if (!checkpoint) {
        // Another process delivers; check again when its lease may have expired.
        await sleep(this.options.leaseRenewIntervalMs, this.interrupt.signal);
        continue;
      }
      this.beginOwnership(checkpoint);
      try {
        await this.follow();
      } catch (error) {
        if (error instanceof CheckpointFencedError) this.logger.warn(error.message);
        else if (!(error instanceof StopSignal)) {
          this.logger.error(`Delivery interrupted: ${describeError(error)}`);
          await sleep(this.options.leaseRenewIntervalMs, this.interrupt.signal);
        }
      } finally {
        await this.lease.end();
      }
    }
  }

  private async initialCheckpoint(): Promise<StreamCheckpoint> {
    const start = this.definition.startFrom;
    if (start === 'beginning') return START_CHECKPOINT;
    if (start !== 'now') return start;
    // Only matters when the row is created; the head is read as the system role (events are RLS-protected).
    if (await this.store.exists()) return START_CHECKPOINT;
    return (await this.store.headCheckpoint()) ?? START_CHECKPOINT;
  }

  private beginOwnership(checkpoint: StreamCheckpoint): void {
    this.cursor.position = checkpoint;
    this.interrupt = new AbortController();
    if (this.stopRequested) this.interrupt.abort();
    this.lease.begin();
  }

  private async follow(): Promise<void> {
    while (!this.shouldStop) {
      this.wakePending = false;
      const delivered = await this.catchUp();
      if (delivered === 0 && !this.wakePending && !this.shouldStop) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => done(), this.options.pollIntervalMs);
          const done = () => {
            clearTimeout(timer);
            this.wakeWaiter = undefined;
            resolve();
          };
          this.wakeWaiter = done;
        });
      }
    }
  }

  /** Delivers everything beyond the checkpoint that a gap-safe reader sees now; returns how many events. */
  private async catchUp(onProgress?: (progress: DeliveryProgress) => void): Promise<number> {
    const { tenantId, eventTypes, batchSize } = this.definition;
    const total = onProgress ? (await this.store.countBehind(this.cursor.position, this.definition)).behind : 0;
    const delivery = this.newDelivery();
    let processed = 0;
    let last: CheckpointedEvent | undefined;
    const count = (done: number) => {
      processed += done;
      if (done && last)
        onProgress?.({ name: this.name, processed, total: Math.max(total, processed), globalPosition: last.globalPosition });
    };
    let settled = 0;
    try {
      for await (const event of this.events.streamEvents({ after: this.cursor.position, tenantId, eventTypes, batchSize })) {
        if (this.shouldStop) break;
        last = event;
        count(await delivery.accept(event));
      }
    } finally {
      if (!this.lease.isLost) settled = await delivery.settle();
    }
    processed += settled;
    count(await delivery.finish());
    return processed;
  }

  private newDelivery(): EventDelivery {
    const { target, batchSize, retry } = this.definition;
    const retries = new RetryOrPark(retry, this.cursor, this.store, this, this.logger);
    return target.kind === 'subscriber'
      ? new SubscriberDelivery(target, batchSize, this.cursor, retries)
      : new TransactionalDelivery(target.handler, batchSize, this.cursor, retries, this, this.logger);
  }
}
