import { Logger } from '@nestjs/common';
import { EventStoreDatabase, Queryable } from '../database/event-store-database';
import { toProjectionTransaction } from '../projections/projection-transaction';
import { ProjectionHandler } from '../projections/projection-handler';
import { CheckpointedEvent, EventStoreService } from '../store/event-store.service';
import { START_CHECKPOINT } from '../store/stream-events';
import { StreamCheckpoint } from '../types/read-options';
import { isRedactionMarker, toEventsRedacted } from '../redaction/redaction-marker';
import { EventsRedacted } from '../types/redaction';
import { StoredDomainEvent } from '../types/stored-domain-event';
import { ResolvedDeliveryOptions, RetryPolicy, retryDelay } from './delivery.options';
import { runAsOwner } from './owner-transaction';
import { SubscriptionStart } from './subscription-definition';
import { CheckpointFencedError, SubscriptionStore, describeError } from './subscription-store';
import { sleep } from './sleep';
import { READER_LAG_SQL, readerLagParameters } from './subscription-store.sql';

/** Where a worker delivers: a subscriber (called outside any transaction) or a projection (inside one). */
export type DeliveryTarget =
  | {
      kind: 'subscriber';
      handle(event: StoredDomainEvent): Promise<void> | void;
      onRedacted?: (redaction: EventsRedacted) => Promise<void> | void;
    }
  | { kind: 'projection'; handler: ProjectionHandler };

/** Everything a worker needs to know about its subscription. */
export interface WorkerDefinition {
  name: string;
  eventTypes?: string[];
  tenantId?: string;
  startFrom: SubscriptionStart;
  retry: Required<RetryPolicy>;
  batchSize: number;
  target: DeliveryTarget;
}

/** Progress of a rebuild or catch-up, reported after each applied chunk. */
export interface DeliveryProgress {
  name: string;
  /** Events handled so far in this run. */
  processed: number;
  /** Events that were beyond the checkpoint when the run started (may grow while it runs). */
  total: number;
  /** Global position of the last event handled. */
  globalPosition: string;
}

class StopSignal extends Error {}

/**
 * Runs one durable subscription in this process: takes its lease (one process
 * at a time), catches up from its checkpoint in batches, then follows live,
 * woken by NOTIFY / the publisher or by polling. Delivery is in the store's
 * gap-safe global order and at-least-once for subscribers (the checkpoint
 * advances after the handlers of a batch returned); projections apply a chunk of events
 * and advance the checkpoint in one transaction, hence exactly once. Every
 * checkpoint move is fenced by owner and previous value, so a process that
 * lost its lease cannot overwrite the new owner's progress.
 */
export class SubscriptionWorker {
  private readonly logger: Logger;
  readonly store: SubscriptionStore;
  private running?: Promise<void>;
  private stopRequested = false;
  private leaseLost = false;
  private owned = false;
  /** Aborted on stop or lease loss, to cut sleeps short. */
  private interrupt = new AbortController();
  private renewTimer?: NodeJS.Timeout;
  private checkpoint: StreamCheckpoint = START_CHECKPOINT;
  /** Subscribers: the last event handled but not yet saved as the checkpoint. */
  private delivered?: StreamCheckpoint;
  private wakePending = false;
  private wakeWaiter?: () => void;

  constructor(
    readonly definition: WorkerDefinition,
    private readonly database: EventStoreDatabase,
    private readonly events: EventStoreService,
    private readonly options: ResolvedDeliveryOptions,
  ) {
    this.logger = new Logger(`EventStore:${definition.target.kind}:${definition.name}`);
    this.store = new SubscriptionStore(database, definition.name, definition.target.kind, options.ownerId, options.leaseDurationMs);
  }

  get name(): string {
    return this.definition.name;
  }

  /** Whether this process holds the lease right now. */
  get isOwner(): boolean {
    return this.owned && !this.leaseLost;
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
   * Projections only: empties the read model and replays the whole log into
   * it, taking the lease from whichever process holds it, then resumes
   * following live if the worker was running.
   */
  async rebuild(onProgress?: (progress: DeliveryProgress) => void): Promise<{ processed: number }> {
    const target = this.definition.target;
    if (target.kind !== 'projection') throw new Error(`'${this.name}' is a subscriber; only projections can be rebuilt`);
    const wasRunning = this.running !== undefined;
    await this.stop();
    this.stopRequested = false;
    this.beginOwnership(await this.store.forceAcquire());
    try {
      await runAsOwner(
        this.database,
        async (runner) => {
          await this.store.advance(runner, this.checkpoint, START_CHECKPOINT);
          await this.store.clearDeadLetters(runner);
          await target.handler.reset(toProjectionTransaction(runner));
        },
        'resetProjection',
      );
      this.checkpoint = START_CHECKPOINT;
      this.logger.log('Read model reset; replaying the log');
      const processed = await this.catchUp(onProgress);
      this.logger.log(`Rebuilt from ${processed} event(s)`);
      return { processed };
    } finally {
      await this.endOwnership();
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
        await this.endOwnership();
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
    this.checkpoint = checkpoint;
    this.delivered = undefined;
    this.owned = true;
    this.leaseLost = false;
    this.interrupt = new AbortController();
    if (this.stopRequested) this.interrupt.abort();
    const renew = async () => {
      try {
        if (!(await this.store.renew())) {
          this.leaseLost = true;
          this.interrupt.abort();
          this.wake();
          return;
        }
      } catch (error) {
        // A blip: keep trying; if the lease really expires, the fenced checkpoint write notices.
        this.logger.warn(`Lease renewal failed: ${describeError(error)}`);
      }
      if (this.owned) this.renewTimer = setTimeout(renew, this.options.leaseRenewIntervalMs);
    };
    this.renewTimer = setTimeout(renew, this.options.leaseRenewIntervalMs);
  }

  private async endOwnership(): Promise<void> {
    this.owned = false;
    clearTimeout(this.renewTimer);
    if (!this.leaseLost) await this.store.release().catch((error) => this.logger.warn(`Lease release failed: ${describeError(error)}`));
  }

  private get shouldStop(): boolean {
    return this.stopRequested || this.leaseLost;
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
    const { tenantId, eventTypes, batchSize, target } = this.definition;
    const total = onProgress ? await this.countBehind() : 0;
    let processed = 0;
    let chunk: CheckpointedEvent[] = [];
    const report = (event: CheckpointedEvent) =>
      onProgress?.({ name: this.name, processed, total: Math.max(total, processed), globalPosition: event.globalPosition });
    try {
      for await (const event of this.events.streamEvents({ after: this.checkpoint, tenantId, eventTypes, batchSize })) {
        if (this.shouldStop) break;
        if (target.kind === 'subscriber') {
          await this.deliverToSubscriber(target, event);
          processed++;
          if (processed % batchSize === 0) {
            await this.saveDelivered();
            report(event);
          }
          continue;
        }
        chunk.push(event);
        if (chunk.length >= batchSize) {
          await this.applyChunk(target.handler, chunk);
          processed += chunk.length;
          report(event);
          chunk = [];
        }
      }
    } finally {
      // Also when stopping: what the subscriber handled is not delivered again.
      if (!this.leaseLost) await this.saveDelivered();
    }
    if (chunk.length && !this.shouldStop && target.kind === 'projection') {
      await this.applyChunk(target.handler, chunk);
      processed += chunk.length;
      report(chunk[chunk.length - 1]);
    }
    return processed;
  }

  private async countBehind(): Promise<number> {
    const parameters = readerLagParameters(this.checkpoint, this.definition.tenantId, this.definition.eventTypes);
    const [row] = await this.database.query<{ behind: string }>(READER_LAG_SQL, parameters, 'countBehind');
    return Number(row.behind);
  }

  private async deliverToSubscriber(target: Extract<DeliveryTarget, { kind: 'subscriber' }>, event: CheckpointedEvent): Promise<void> {
    const { checkpoint, ...plain } = event;
    // A redaction marker goes to onRedacted, or nowhere: handle() never sees the store's own events.
    const marker = isRedactionMarker(plain);
    const onRedacted = target.onRedacted;
    if (marker && !onRedacted) {
      this.delivered = checkpoint;
      return;
    }
    for (let attempt = 1; ; attempt++) {
      try {
        if (marker) await onRedacted!(toEventsRedacted(plain));
        else await target.handle(plain);
        break;
      } catch (error) {
        if (await this.failedAttempt(event, error, attempt)) return;
      }
    }
    this.delivered = checkpoint;
  }

  /**
   * Moves the stored checkpoint past the events handed to the subscriber so
   * far: once per batch, not once per event (at-least-once either way; a
   * crash re-delivers at most the events since the last save).
   */
  private async saveDelivered(): Promise<void> {
    const to = this.delivered;
    if (!to) return;
    const autocommit: Queryable = { query: (sql, params) => this.database.query(sql, params ?? [], 'advanceCheckpoint') };
    await this.store.advance(autocommit, this.checkpoint, to);
    this.checkpoint = to;
    this.delivered = undefined;
  }

  private async applyChunk(handler: ProjectionHandler, chunk: CheckpointedEvent[]): Promise<void> {
    if (chunk.length > 1) {
      try {
        await this.applyInTransaction(handler, chunk);
        return;
      } catch (error) {
        if (error instanceof CheckpointFencedError) throw error;
        // Isolate the failing event: one transaction per event, with retries.
        this.logger.warn(`A chunk of ${chunk.length} events failed (${describeError(error)}); applying them one by one`);
      }
    }
    for (const event of chunk) {
      for (let attempt = 1; ; attempt++) {
        try {
          await this.applyInTransaction(handler, [event]);
          break;
        } catch (error) {
          if (error instanceof CheckpointFencedError) throw error;
          if (await this.failedAttempt(event, error, attempt)) break;
        }
      }
    }
  }

  /** Applies events and moves the checkpoint past the last one, in one transaction. */
  private async applyInTransaction(handler: ProjectionHandler, events: CheckpointedEvent[]): Promise<void> {
    const to = events[events.length - 1].checkpoint;
    await runAsOwner(
      this.database,
      async (runner) => {
        // Fence first: the row lock also keeps a concurrent rebuild or takeover out until commit.
        await this.store.advance(runner, this.checkpoint, to);
        const tx = toProjectionTransaction(runner);
        // The handler sees the plain event; the checkpoint is the worker's business.
        for (const { checkpoint: _checkpoint, ...event } of events) {
          if (!isRedactionMarker(event)) await handler.apply(event, tx);
          else if (handler.onRedacted) await handler.onRedacted(toEventsRedacted(event), tx);
        }
      },
      'applyProjection',
    );
    this.checkpoint = to;
  }

  /**
   * Logs a failed attempt, then either waits for the next one (false) or,
   * after the last attempt, parks the event and moves past it (true).
   */
  private async failedAttempt(event: CheckpointedEvent, error: unknown, attempt: number): Promise<boolean> {
    const { maxAttempts } = this.definition.retry;
    this.logger.warn(
      `Event ${event.eventId} (${event.eventType} at position ${event.globalPosition}) failed, attempt ${attempt}/${maxAttempts}: ${describeError(error)}`,
    );
    if (attempt >= maxAttempts) {
      await runAsOwner(
        this.database,
        async (runner) => {
          await this.store.advance(runner, this.checkpoint, event.checkpoint);
          await this.store.park(runner, event, error, attempt);
        },
        'parkEvent',
      );
      this.checkpoint = event.checkpoint;
      this.delivered = undefined;
      this.logger.error(`Event ${event.eventId} parked as a dead letter after ${attempt} attempts`);
      return true;
    }
    await sleep(retryDelay(this.definition.retry, attempt), this.interrupt.signal);
    if (this.shouldStop) throw new StopSignal();
    return false;
  }
}
