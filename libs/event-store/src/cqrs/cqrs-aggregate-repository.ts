import { Inject, Provider, Type } from '@nestjs/common';
import { AggregateRoot, IEvent } from '@nestjs/cqrs';
import { UnknownEventTypeError, AggregateDefinitionError } from '../aggregates/aggregate.errors';
import { StreamNotFoundError } from '../errors/stream-not-found.error';
import { EventValidationError } from '../errors/event-validation.error';
import { EventStorePublisher } from '../publishing/event-store.publisher';
import { EventStoreService } from '../store/event-store.service';
import { EventData, NewDomainEvent, StoredDomainEvent } from '../types/stored-domain-event';
import { EventMigrationHandler } from '../upcasting/event-migration.handler';
import { CqrsAggregateRepositoryOptions, CqrsSaveOptions, getCqrsAggregateRepositoryToken } from './cqrs-aggregate-repository.options';
import { CqrsEventTypes } from './cqrs-event-types';

/** The stream an aggregate instance was loaded from or last saved to. */
interface StreamPosition {
  tenantId: string;
  aggregateId: string;
  version: number;
}

// Keyed by the instance: `EventPublisher.mergeObjectContext` returns the same
// object, so a merged aggregate keeps its expected version. Shared by every
// repository, so that an aggregate loaded by one saves through another.
const positions = new WeakMap<object, StreamPosition>();

/**
 * Loads and saves aggregates written the `@nestjs/cqrs` way (`AggregateRoot`,
 * `apply(new SomethingHappened(…))`) as streams in the store, with
 * expected-version checks, without changing the aggregate classes.
 *
 * Events go to the EventBus from the store, not from the aggregate: `save`
 * appends the uncommitted events and clears them (`uncommit()`), and the
 * bridge of `EventStoreCqrsModule` publishes them once their transaction has
 * committed. A `commit()` after `save` (the usual `mergeObjectContext`
 * pattern) then publishes nothing, so handlers see each event once; calling
 * `commit()` before `save` would publish events that were never stored and
 * leave nothing to save.
 *
 * Register with `CqrsAggregateRepository.provide(Order)` in a module's
 * providers (needs `EventStoreCqrsModule.forRoot` with the aggregate's event
 * classes) and inject with `@InjectCqrsAggregateRepository(Order)`.
 */
export class CqrsAggregateRepository<T extends AggregateRoot> {
  /** The stored `aggregateType` of this class's streams. */
  readonly aggregateType: string;
  private readonly create: (aggregateId: string) => T;
  private readonly idOf: (aggregate: T) => string;

  constructor(
    private readonly store: EventStoreService,
    private readonly migrations: EventMigrationHandler,
    private readonly eventTypes: CqrsEventTypes,
    private readonly aggregateClass: Type<T>,
    options: CqrsAggregateRepositoryOptions<T> = {},
    private readonly publisher?: EventStorePublisher,
  ) {
    this.aggregateType = options.aggregateType ?? aggregateClass.name;
    this.create = options.create ?? ((aggregateId) => new aggregateClass(aggregateId));
    this.idOf = options.idOf ?? ((aggregate) => (aggregate as unknown as { id?: unknown }).id as string);
    // Appends to this stream type by any path must stay loadable: only registered event types.
    store.declareEventTypes(this.aggregateType, eventTypes.eventTypes());
  }

  /** A Nest provider of this class's repository, under `getCqrsAggregateRepositoryToken(aggregateClass)`. */
  static provide<A extends AggregateRoot>(aggregateClass: Type<A>, options: CqrsAggregateRepositoryOptions<A> = {}): Provider {
    return {
      provide: getCqrsAggregateRepositoryToken(aggregateClass),
      useFactory: (
        store: EventStoreService,
        migrations: EventMigrationHandler,
        eventTypes: CqrsEventTypes,
        publisher: EventStorePublisher,
      ) => new CqrsAggregateRepository(store, migrations, eventTypes, aggregateClass, options, publisher),
      inject: [EventStoreService, EventMigrationHandler, CqrsEventTypes, EventStorePublisher],
    };
  }

  /**
   * The aggregate rebuilt from its stream: each stored event, upcast to the
   * latest version, as an instance of its class, through `loadFromHistory`.
   * The repository remembers the version for the next `save`.
   * @throws StreamNotFoundError when the tenant has no stream of this type with that id
   * @throws UnknownEventTypeError when the stream holds an event type without a registered class
   */
  async load(tenantId: string, aggregateId: string): Promise<T> {
    const stored = await this.store.getEventsForAggregate(aggregateId, tenantId);
    // Another aggregate type's id answers "not found", like another tenant's.
    if (stored.length === 0 || stored.some((e) => e.aggregateType !== this.aggregateType)) throw new StreamNotFoundError(aggregateId);
    const history = stored.map((e) => this.toEvent(e));
    const aggregate = this.create(aggregateId);
    aggregate.loadFromHistory(history);
    positions.set(aggregate, { tenantId, aggregateId, version: stored[stored.length - 1].aggregateVersion });
    return aggregate;
  }

  /**
   * Appends the aggregate's uncommitted events in one atomic append, expecting
   * the stream at the version it was loaded at (no stream yet for a new
   * aggregate), then clears them (`uncommit()`). Each event is stored with
   * its registered event type, the latest version of that type, and its own
   * enumerable fields as the payload.
   * @returns the stored events (empty when there was nothing to save)
   * @throws ConcurrencyError when another writer saved first (the events stay uncommitted): reload and retry
   * @throws UnregisteredEventClassError when an event's class is not registered (nothing written)
   * @throws AggregateDefinitionError when the aggregate publishes on apply (`autoCommit`) or a new one has no id
   */
  async save(aggregate: T, tenantId: string, options: CqrsSaveOptions = {}): Promise<StoredDomainEvent[]> {
    if (aggregate.autoCommit)
      throw new AggregateDefinitionError(
        this.aggregateClass.name,
        'autoCommit publishes events before they are stored; turn it off to save the aggregate',
      );
    const pending: IEvent[] = aggregate.getUncommittedEvents();
    if (pending.length === 0) return [];
    const position = positions.get(aggregate);
    if (position && position.tenantId !== tenantId)
      throw EventValidationError.of('tenantId', `the aggregate was loaded for another tenant`);
    const aggregateId = position?.aggregateId ?? this.newAggregateId(aggregate);
    const events: NewDomainEvent[] = pending.map((event) => {
      const eventType = this.eventTypes.typeOf(event);
      return {
        aggregateType: this.aggregateType,
        aggregateId,
        eventType,
        eventVersion: this.migrations.getLatestVersion(eventType),
        data: { ...event } as EventData,
        metadata: { ...options.metadata },
      };
    });
    const expected = { expectedVersion: position ? position.version : ('no_stream' as const) };
    // Through the publisher so that subscriptions (the EventBus bridge among them) wake after commit.
    const stored = this.publisher
      ? await this.publisher.publishAll(events, tenantId, expected)
      : await this.store.appendEvents(events, tenantId, expected);
    aggregate.uncommit();
    positions.set(aggregate, { tenantId, aggregateId, version: stored[stored.length - 1].aggregateVersion });
    return stored;
  }

  /** The stream version an aggregate was loaded at or last saved to; 0 for one the repository has not seen. */
  versionOf(aggregate: T): number {
    return positions.get(aggregate)?.version ?? 0;
  }

  private toEvent(stored: StoredDomainEvent): object {
    const event = this.eventTypes.toEvent(stored);
    if (!event) throw new UnknownEventTypeError(this.aggregateType, stored.aggregateId, stored.eventType, stored.aggregateVersion);
    return event;
  }

  private newAggregateId(aggregate: T): string {
    const id = this.idOf(aggregate);
    if (typeof id !== 'string' || id === '') {
      throw new AggregateDefinitionError(
        this.aggregateClass.name,
        "a new aggregate needs a string 'id' property, or an idOf option in CqrsAggregateRepository.provide",
      );
    }
    return id;
  }
}

/** Injects the repository registered with `CqrsAggregateRepository.provide(aggregateClass)`. */
export const InjectCqrsAggregateRepository = (aggregateClass: Type): ParameterDecorator =>
  Inject(getCqrsAggregateRepositoryToken(aggregateClass));
