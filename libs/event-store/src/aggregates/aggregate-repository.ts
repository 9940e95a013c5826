import { Inject, Logger, Provider } from '@nestjs/common';
import { StreamNotFoundError } from '../errors/stream-not-found.error';
import { EventStorePublisher } from '../publishing/event-store.publisher';
import { EventValidationError } from '../errors/event-validation.error';
import { EventStoreService } from '../store/event-store.service';
import { NewDomainEvent, StoredDomainEvent } from '../types/stored-domain-event';
import { EventMigrationHandler } from '../upcasting/event-migration.handler';
import { INT4_MAX } from '../validation/rules';
import { AggregateDefinitionError } from './aggregate.errors';
import { EventSourcedAggregate } from './aggregate-root';
import {
  AggregateClass,
  AggregateRepositoryOptions,
  PointInHistory,
  SaveOptions,
  getAggregateRepositoryToken,
} from './aggregate-repository.options';

/**
 * Loads and saves one type of event-sourced aggregate.
 *
 * Saves go through the EventStorePublisher (persist, then wake subscribers)
 * when one is given, as `provide` does.
 *
 * Creating it declares the class's event types (its `on<EventType>`
 * handlers) to the store, which then refuses other event types on streams of
 * this aggregate type; loading a stream that still holds one throws
 * UnknownEventTypeError.
 *
 * Register it with `AggregateRepository.provide(Requirement, { snapshotEvery: 50 })`
 * in a module's providers and inject it with `@InjectAggregateRepository(Requirement)`.
 */
export class AggregateRepository<T extends EventSourcedAggregate> {
  private readonly logger = new Logger(AggregateRepository.name);
  private readonly snapshotEvery: number;

  constructor(
    private readonly store: EventStoreService,
    private readonly migrations: EventMigrationHandler,
    private readonly aggregateClass: AggregateClass<T>,
    options: AggregateRepositoryOptions = {},
    private readonly publisher?: EventStorePublisher,
  ) {
    if (!aggregateClass.aggregateType) throw new AggregateDefinitionError(aggregateClass.name, "static 'aggregateType' is not set");
    const every = options.snapshotEvery ?? 0;
    if (!Number.isInteger(every) || every < 0)
      throw new AggregateDefinitionError(aggregateClass.name, 'snapshotEvery must be a non-negative integer');
    this.snapshotEvery = every;
    // Every append to this stream type, by any path, must stay loadable by this class.
    store.declareEventTypes(aggregateClass.aggregateType, EventSourcedAggregate.declaredEventTypes(aggregateClass));
  }

  /** A Nest provider of this aggregate's repository, under `getAggregateRepositoryToken(aggregateClass)`. */
  static provide<A extends EventSourcedAggregate>(aggregateClass: AggregateClass<A>, options: AggregateRepositoryOptions = {}): Provider {
    return {
      provide: getAggregateRepositoryToken(aggregateClass),
      useFactory: (store: EventStoreService, migrations: EventMigrationHandler, publisher: EventStorePublisher) =>
        new AggregateRepository(store, migrations, aggregateClass, options, publisher),
      inject: [EventStoreService, EventMigrationHandler, EventStorePublisher],
    };
  }

  /**
   * The aggregate at its current version: the newest snapshot of the class's
   * current `snapshotSchemaVersion` (when snapshots are on) plus later events, upcast.
   * @throws StreamNotFoundError when the tenant has no stream of this type with that id
   * @throws UnknownEventTypeError when the stream holds an event type the class does not handle
   */
  async load(tenantId: string, aggregateId: string): Promise<T> {
    return this.rebuild(tenantId, aggregateId, undefined);
  }

  /**
   * The aggregate as it was at a version, or at a point in time (the events
   * that occurred at or before `at`; the replay stops at the first later one,
   * so the result is always a prefix of the stream). Meant for reading: saving
   * it fails with ConcurrencyError once the stream has moved on.
   * @throws StreamNotFoundError when the stream did not exist then
   * @throws EventValidationError for a bad version or date, or a version the stream has not reached
   */
  async loadAt(tenantId: string, aggregateId: string, point: PointInHistory): Promise<T> {
    if ('version' in point) {
      if (!Number.isInteger(point.version) || point.version < 1 || point.version > INT4_MAX)
        throw EventValidationError.of('version', `must be an integer from 1 to ${INT4_MAX}`);
      const aggregate = await this.rebuild(tenantId, aggregateId, point.version);
      if (aggregate.version < point.version)
        throw EventValidationError.of('version', `stream '${aggregateId}' is only at version ${aggregate.version}`);
      return aggregate;
    }
    if (!(point.at instanceof Date) || Number.isNaN(point.at.getTime())) throw EventValidationError.of('at', 'must be a valid date');
    // Business time does not map to versions, so snapshots cannot help here.
    const events = this.checkType(aggregateId, await this.store.getEventsForAggregate(aggregateId, tenantId));
    const cut = events.findIndex((e) => e.occurredAt.getTime() > point.at.getTime());
    const prefix = cut === -1 ? events : events.slice(0, cut);
    if (prefix.length === 0) throw new StreamNotFoundError(aggregateId);
    const aggregate = new this.aggregateClass(aggregateId);
    aggregate.replay(prefix);
    return aggregate;
  }

  /**
   * Appends the aggregate's uncommitted events, expecting the stream at the
   * version it was loaded at ('no_stream' for a new aggregate), then records a
   * snapshot when the save crossed a multiple of `snapshotEvery`.
   * @returns the stored events (empty when there was nothing to save)
   * @throws ConcurrencyError when another writer saved first: reload and retry
   */
  async save(aggregate: T, tenantId: string, options: SaveOptions = {}): Promise<StoredDomainEvent[]> {
    const pending = aggregate.getUncommittedEvents();
    if (pending.length === 0) return [];
    const before = aggregate.version;
    const events: NewDomainEvent[] = pending.map((e) => ({
      eventId: e.eventId,
      aggregateType: this.aggregateClass.aggregateType,
      aggregateId: aggregate.aggregateId,
      eventType: e.eventType,
      eventVersion: e.eventVersion ?? this.migrations.getLatestVersion(e.eventType),
      occurredAt: e.occurredAt,
      data: e.data,
      metadata: { ...options.metadata, ...e.metadata },
    }));
    const expected = { expectedVersion: before === 0 ? ('no_stream' as const) : before };
    // Through the publisher (when given) so that subscribers and projections are woken after commit.
    const stored = this.publisher
      ? await this.publisher.publishAll(events, tenantId, expected)
      : await this.store.appendEvents(events, tenantId, expected);
    const after = stored[stored.length - 1].aggregateVersion;
    aggregate.markCommitted(after);
    if (this.snapshotEvery > 0 && Math.floor(after / this.snapshotEvery) > Math.floor(before / this.snapshotEvery)) {
      await this.snapshot(aggregate, tenantId);
    }
    return stored;
  }

  // The events are committed at this point; a failed snapshot only costs a longer replay later.
  private async snapshot(aggregate: T, tenantId: string): Promise<void> {
    try {
      await this.store.recordSnapshot(aggregate.aggregateId, tenantId, {
        aggregateType: this.aggregateClass.aggregateType,
        version: aggregate.version,
        state: aggregate.toSnapshot(),
        schemaVersion: this.aggregateClass.snapshotSchemaVersion,
      });
    } catch (error) {
      this.logger.warn(
        `Snapshot of ${this.aggregateClass.aggregateType} '${aggregate.aggregateId}' at v${aggregate.version} failed: ${String(error)}`,
      );
    }
  }

  private async rebuild(tenantId: string, aggregateId: string, maxVersion: number | undefined): Promise<T> {
    const aggregate = new this.aggregateClass(aggregateId);
    const snapshot =
      this.snapshotEvery > 0
        ? await this.store.getLatestSnapshot(aggregateId, tenantId, {
            maxVersion,
            schemaVersion: this.aggregateClass.snapshotSchemaVersion,
          })
        : null;
    if (snapshot && snapshot.aggregateType !== this.aggregateClass.aggregateType) throw new StreamNotFoundError(aggregateId);
    if (snapshot) aggregate.restoreSnapshot(snapshot.state, snapshot.version);
    const fromVersion = (snapshot?.version ?? 0) + 1;
    if (maxVersion !== undefined && fromVersion > maxVersion) return aggregate;
    const events = await this.store.getEventsForAggregate(aggregateId, tenantId, { fromVersion, toVersion: maxVersion });
    if (!snapshot && events.length === 0) throw new StreamNotFoundError(aggregateId);
    aggregate.replay(this.checkType(aggregateId, events));
    return aggregate;
  }

  // Another aggregate type's id answers "not found", like another tenant's.
  private checkType(aggregateId: string, events: StoredDomainEvent[]): StoredDomainEvent[] {
    if (events.some((e) => e.aggregateType !== this.aggregateClass.aggregateType)) throw new StreamNotFoundError(aggregateId);
    return events;
  }
}

/** Injects the repository registered with `AggregateRepository.provide(aggregateClass)`. */
export const InjectAggregateRepository = (aggregateClass: { name: string; aggregateType?: string }): ParameterDecorator =>
  Inject(getAggregateRepositoryToken(aggregateClass));
