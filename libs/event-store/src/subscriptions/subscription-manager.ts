import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { EventStoreDatabase } from '../database/event-store-database';
import { toProjectionTransaction } from '../projections/projection-transaction';
import { isRedactionMarker, toEventsRedacted } from '../redaction/redaction-marker';
import { EventStoreService } from '../store/event-store.service';
import { EventsRedacted } from '../types/redaction';
import { StoredDomainEvent } from '../types/stored-domain-event';
import { AppendListener } from './append-listener';
import { DeadLetter, DeadLetterRetryResult, SubscriptionLag, SubscriptionStatus } from './dead-letter';
import { DeliveryExplorer } from './delivery-explorer';
import { ResolvedDeliveryOptions } from './delivery.options';
import { EventStoreSubscriberOptions } from './event-subscriber.decorator';
import { runAsOwner } from './owner-transaction';
import { toWorkerDefinition } from './subscription-definitions';
import { describeError, listDeadLetters } from './subscription-store';
import {
  DELETE_DEAD_LETTER_SQL,
  FAILED_RETRY_SQL,
  READ_SUBSCRIPTION_SQL,
  READER_LAG_SQL,
  readerLagParameters,
} from './subscription-store.sql';
import { SubscriptionDefinitionError, SubscriptionNotFoundError } from './subscription.errors';
import { SubscriptionWorker, WorkerDefinition } from './subscription-worker';
import { sleep } from './sleep';

/** A subscription registered with `subscribe`. */
export interface SubscriptionHandle {
  readonly name: string;
  /** Stops it in this process (its checkpoint stays). */
  stop(): Promise<void>;
}

/**
 * Runs the durable subscriptions of this process: every `@EventStoreSubscriber`
 * and `@EventProjection` provider found at startup, plus those registered
 * with `subscribe`. Starts them when the application has bootstrapped and
 * stops them (releasing their leases) before the database closes. Also the
 * place to inspect lag and dead letters and to retry parked events.
 */
@Injectable()
export class SubscriptionManager implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('EventStore:delivery');
  private readonly workers = new Map<string, SubscriptionWorker>();
  /** Resolved delivery options of this process. */
  readonly options: ResolvedDeliveryOptions;
  private listener?: AppendListener;
  private shuttingDown = false;
  private readonly stopWatchingAppends: () => void;

  constructor(
    private readonly database: EventStoreDatabase,
    private readonly events: EventStoreService,
    private readonly explorer: DeliveryExplorer,
  ) {
    this.options = database.options.delivery;
    // Commits of this process wake its subscriptions at once (others' arrive by NOTIFY or polling).
    this.stopWatchingAppends = events.appended.subscribe(() => this.notifyAppended());
  }

  /** Registers the discovered subscribers and projections and starts them (unless delivery is disabled). */
  async onApplicationBootstrap(): Promise<void> {
    for (const found of this.explorer.explore()) {
      // Inline projections run in the append's transaction (InlineProjections), not as subscriptions.
      if (found.kind === 'projection' && found.options.mode === 'inline') continue;
      const target =
        found.kind === 'subscriber'
          ? {
              kind: 'subscriber' as const,
              handle: (event: StoredDomainEvent) => found.instance.handle(event),
              onRedacted: found.instance.onRedacted ? (redaction: EventsRedacted) => found.instance.onRedacted!(redaction) : undefined,
            }
          : { kind: 'projection' as const, handler: found.instance };
      this.add(toWorkerDefinition(found.options, target, this.options));
    }
    if (!this.options.enabled || this.workers.size === 0) return;
    await this.ensureListener();
    for (const worker of this.workers.values()) worker.start();
    this.logger.log(`Delivering to ${this.workers.size} subscription(s) as ${this.options.ownerId}`);
  }

  /** Stops every subscription and releases its lease, before the core module closes the database. */
  async beforeApplicationShutdown(): Promise<void> {
    this.shuttingDown = true;
    this.stopWatchingAppends();
    await Promise.all([...this.workers.values()].map((w) => w.stop()));
    await this.listener?.close();
    this.listener = undefined;
  }

  /**
   * Registers and starts a subscription whose handler is not a decorated
   * provider. Same guarantees as `@EventStoreSubscriber`; `onRedacted` as in
   * `DomainEventSubscriber` (without it, redactions are not delivered).
   * @throws SubscriptionDefinitionError on a bad or duplicate name
   */
  async subscribe(
    options: EventStoreSubscriberOptions,
    handle: (event: StoredDomainEvent) => Promise<void> | void,
    onRedacted?: (redaction: EventsRedacted) => Promise<void> | void,
  ): Promise<SubscriptionHandle> {
    const worker = this.add(toWorkerDefinition(options, { kind: 'subscriber', handle, onRedacted }, this.options));
    if (this.options.enabled && !this.shuttingDown) {
      await this.ensureListener();
      worker.start();
    }
    return {
      name: worker.name,
      stop: async () => {
        await worker.stop();
        this.workers.delete(worker.name);
      },
    };
  }

  /** Wakes every subscription of this process: new events were committed (called after each append of this process). */
  notifyAppended(): void {
    for (const worker of this.workers.values()) worker.wake();
  }

  /** Names of the subscriptions and projections registered in this process. */
  names(): string[] {
    return [...this.workers.keys()];
  }

  /**
   * Checkpoint and lease of a subscription.
   * @throws SubscriptionNotFoundError when it is not registered here
   */
  async getStatus(name: string): Promise<SubscriptionStatus> {
    const worker = this.worker(name);
    const [row] = await this.database.query(READ_SUBSCRIPTION_SQL, [name], 'getSubscriptionStatus');
    return {
      name,
      kind: worker.definition.target.kind,
      checkpoint: row ? { transactionId: row.xid, globalPosition: row.position } : null,
      owner: row?.owner ?? null,
      leaseUntil: row?.lease_until ?? null,
      ownedHere: worker.isOwner,
    };
  }

  /**
   * How far a subscription is behind: the head of the log against its
   * checkpoint, and the number of matching events beyond the checkpoint.
   * @throws SubscriptionNotFoundError when it is not registered here
   */
  async getLag(name: string): Promise<SubscriptionLag> {
    const worker = this.worker(name);
    const [row] = await this.database.query(READ_SUBSCRIPTION_SQL, [name], 'getSubscriptionLag');
    const xid = row?.xid ?? '0';
    const position = row?.position ?? '0';
    const parameters = readerLagParameters(
      { transactionId: xid, globalPosition: position },
      worker.definition.tenantId,
      worker.definition.eventTypes,
    );
    const [lag] = await this.database.query<{ behind: string; head: string }>(READER_LAG_SQL, parameters, 'getSubscriptionLag');
    return { name, headPosition: lag.head, checkpointPosition: position, eventsBehind: Number(lag.behind) };
  }

  /**
   * Resolves once the subscription has handled every matching event committed
   * before the call (by any process). For tests and graceful hand-overs.
   * @throws Error when `timeoutMs` passes first
   */
  async waitUntilCaughtUp(name: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const lag = await this.getLag(name);
      if (lag.eventsBehind === 0) return;
      if (Date.now() > deadline)
        throw new Error(`Subscription '${name}' is still ${lag.eventsBehind} event(s) behind after ${timeoutMs} ms`);
      this.worker(name).wake();
      await sleep(Math.min(50, this.options.pollIntervalMs));
    }
  }

  /** Parked events, of one subscription or of all, in event order. */
  listDeadLetters(name?: string): Promise<DeadLetter[]> {
    return listDeadLetters(this.database, name);
  }

  /**
   * Hands parked events to their subscription's handler again (once each, in
   * event order, here in this process). Successes leave the dead letters;
   * failures stay with one more attempt counted. For a projection the event
   * is applied and its dead letter removed in one transaction; it is then
   * applied out of order, after events that followed it.
   * @param ids only these dead letters (ids from listDeadLetters) @default all of the subscription
   * @throws SubscriptionNotFoundError when it is not registered here
   */
  async retryDeadLetters(name: string, ids?: string[]): Promise<DeadLetterRetryResult> {
    const target = this.worker(name).definition.target;
    const parked = (await this.listDeadLetters(name)).filter((d) => !ids || ids.includes(d.id));
    const result: DeadLetterRetryResult = { succeeded: 0, failed: 0 };
    for (const letter of parked) {
      try {
        const event = await this.events.getEventById(letter.tenantId, letter.eventId);
        // A parked redaction marker goes back to onRedacted, as in live delivery.
        const marker = isRedactionMarker(event);
        if (target.kind === 'subscriber') {
          if (marker) await target.onRedacted?.(toEventsRedacted(event));
          else await target.handle(event);
          await this.database.query(DELETE_DEAD_LETTER_SQL, [letter.id], 'retryDeadLetters');
        } else {
          await runAsOwner(
            this.database,
            async (runner) => {
              // Removing the row first makes a concurrent retry of the same letter apply nothing.
              const removed = await runner.query(DELETE_DEAD_LETTER_SQL, [letter.id]);
              if (!removed.length) return;
              const tx = toProjectionTransaction(runner);
              if (marker) await target.handler.onRedacted?.(toEventsRedacted(event), tx);
              else await target.handler.apply(event, tx);
            },
            'retryDeadLetters',
          );
        }
        result.succeeded++;
      } catch (error) {
        result.failed++;
        this.logger.warn(`Retry of parked event ${letter.eventId} for '${name}' failed: ${describeError(error)}`);
        await this.database.query(FAILED_RETRY_SQL, [letter.id, describeError(error)], 'retryDeadLetters');
      }
    }
    return result;
  }

  /**
   * The worker of a registered subscription (used by ProjectionManager).
   * @throws SubscriptionNotFoundError
   */
  worker(name: string): SubscriptionWorker {
    const worker = this.workers.get(name);
    if (!worker) throw new SubscriptionNotFoundError(name);
    return worker;
  }

  private add(definition: WorkerDefinition): SubscriptionWorker {
    if (this.workers.has(definition.name)) {
      throw new SubscriptionDefinitionError(
        definition.name,
        'another subscriber or projection of this process has the same name (names key the checkpoints)',
      );
    }
    const worker = new SubscriptionWorker(definition, this.database, this.events, this.options);
    this.workers.set(definition.name, worker);
    return worker;
  }

  private async ensureListener(): Promise<void> {
    if (this.listener || this.database.isEmbedded || !this.database.options.databaseUrl) return;
    this.listener = await AppendListener.listen(this.database.options.databaseUrl, () => this.notifyAppended());
  }
}
