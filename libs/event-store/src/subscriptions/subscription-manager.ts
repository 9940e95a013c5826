import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { EventStoreDatabase } from '../database/event-store-database';
import { DeliveryObserver } from '../observability/delivery-observer';
import { instrumentDelivery } from '../observability/instrument-delivery';
import { EventStoreService } from '../store/event-store.service';
import { EventsRedacted } from '../types/redaction';
import { StoredDomainEvent } from '../types/stored-domain-event';
import { AppendListener } from './append-listener';
import { DeadLetter, DeadLetterRetryResult } from './dead-letter';
import { countDeadLetters } from './dead-letter-counts';
import { retryDeadLetters } from './dead-letter-retry';
import { discardDeadLetters, listDeadLetters } from './dead-letter-store';
import { ResolvedDeliveryOptions } from './delivery.options';
import { discoverProviders } from './discover-providers';
import { DomainEventSubscriber } from './domain-event-subscriber';
import { EventStoreSubscriber, EventStoreSubscriberOptions } from './event-subscriber.decorator';
import { sleep } from './sleep';
import { SubscriptionLag, SubscriptionStatus } from './subscription-status';
import { DeliveryFilterOptions } from './subscription.options';
import { SubscriptionDefinitionError, SubscriptionNotFoundError } from './subscription.errors';
import { SubscriptionWorker } from './subscription-worker';
import { DeliveryTarget, toWorkerDefinition } from './worker-definition';

/** A subscription registered with `subscribe`. */
export interface SubscriptionHandle {
  readonly name: string;
  /** Stops it in this process (its checkpoint stays). */
  stop(): Promise<void>;
}

/**
 * Runs the durable subscriptions of this process: every `@EventStoreSubscriber`
 * provider found at startup, those registered with `subscribe`, and those of
 * what builds on subscriptions (ProjectionManager registers the async
 * `@EventProjection` providers with `register`). Starts them when the
 * application has bootstrapped and stops them (releasing their leases)
 * before the database closes. Also the place to inspect lag and dead
 * letters and to retry parked events.
 */
@Injectable()
export class SubscriptionManager implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('EventStore:delivery');
  private readonly workers = new Map<string, SubscriptionWorker>();
  /** Resolved delivery options of this process. */
  readonly options: ResolvedDeliveryOptions;
  private listener?: AppendListener;
  private shuttingDown = false;
  private readonly stopWatchingAppends: () => void;
  private readonly deliveryObservers = new Set<DeliveryObserver>();

  constructor(
    private readonly database: EventStoreDatabase,
    private readonly events: EventStoreService,
    private readonly discovery: DiscoveryService,
  ) {
    this.options = database.options.delivery;
    // Commits of this process wake its subscriptions at once (others' arrive by NOTIFY or polling).
    this.stopWatchingAppends = events.appended.subscribe(() => this.notifyAppended());
  }

  /**
   * Registers the discovered `@EventStoreSubscriber` providers (before any
   * application bootstrap hook can append or subscribe).
   * @throws SubscriptionDefinitionError for a bad or duplicate name, bad event types, or a missing handle method
   */
  onModuleInit(): void {
    for (const found of discoverProviders(this.discovery, EventStoreSubscriber, this.logger)) {
      const instance = found.instance as DomainEventSubscriber;
      this.register(found.options, {
        kind: 'subscriber',
        handle: (event: StoredDomainEvent) => instance.handle(event),
        onRedacted: instance.onRedacted ? (redaction: EventsRedacted) => instance.onRedacted!(redaction) : undefined,
      });
    }
  }

  /** Starts every registered subscription (unless delivery is disabled). */
  async onApplicationBootstrap(): Promise<void> {
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
    const worker = this.register(options, { kind: 'subscriber', handle, onRedacted });
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
    const row = await worker.store.read('getSubscriptionStatus');
    return {
      name,
      kind: worker.definition.target.kind,
      checkpoint: row ? { transactionId: row.xid, globalPosition: row.position } : null,
      owner: row?.owner ?? null,
      leaseUntil: row?.lease_until ?? null,
      ownedHere: worker.isOwner,
      runningHere: worker.isRunning,
      rebuildStartedAt: row?.rebuild_started_at ?? null,
    };
  }

  /**
   * How far a subscription is behind: the head of the log against its
   * checkpoint, and the number of matching events beyond the checkpoint.
   * @throws SubscriptionNotFoundError when it is not registered here
   */
  async getLag(name: string): Promise<SubscriptionLag> {
    const worker = this.worker(name);
    const row = await worker.store.read('getSubscriptionLag');
    const checkpoint = { transactionId: row?.xid ?? '0', globalPosition: row?.position ?? '0' };
    const lag = await worker.store.countBehind(checkpoint, worker.definition, 'getSubscriptionLag');
    return { name, headPosition: lag.head, checkpointPosition: checkpoint.globalPosition, eventsBehind: lag.behind };
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

  /** How many events each subscription has parked (of every process), by name; a subscription without any is absent. */
  countDeadLetters(): Promise<Record<string, number>> {
    return countDeadLetters(this.database);
  }

  /**
   * Calls `observer` after each event a subscriber or projection of this
   * process handled (for delivery-latency metrics; spans need no observer).
   * @returns a function that removes the observer
   */
  observeDeliveries(observer: DeliveryObserver): () => void {
    this.deliveryObservers.add(observer);
    return () => this.deliveryObservers.delete(observer);
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
    return retryDeadLetters(this.database, this.events, target, parked, this.logger);
  }

  /**
   * Removes parked events without handling them (the operator gave up on
   * them): those of one subscription, or the given ids, or both conditions.
   * The subscription need not be registered in this process.
   * @returns the ids of the dead letters removed
   */
  discardDeadLetters(filter: { subscriptionName?: string; ids?: string[] }): Promise<string[]> {
    if (!filter.subscriptionName && !filter.ids) throw new Error('discardDeadLetters needs a subscription name, ids, or both');
    return discardDeadLetters(this.database, filter.subscriptionName, filter.ids);
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

  /**
   * Registers a subscription with the checks and defaults of the decorators
   * (not started: `onApplicationBootstrap` or the caller starts it). For
   * what builds on subscriptions, such as ProjectionManager.
   * @throws SubscriptionDefinitionError on bad options or a name already used in this process
   */
  register(options: DeliveryFilterOptions, target: DeliveryTarget): SubscriptionWorker {
    const checked = toWorkerDefinition(options, target, this.options);
    // Spans and delivery observers wrap the handler once it has passed the checks.
    const definition = { ...checked, target: instrumentDelivery(checked.name, checked.target, this.deliveryObservers) };
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
