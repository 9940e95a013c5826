// The public surface of the event store. Library files import each other by
// relative path, never through this file.
export { EventStoreModule } from './event-store.module';
export { EventStoreModuleOptions } from './event-store.options';
export { EVENT_STORE_DEFAULTS, DELIVERY_DEFAULTS } from './event-store.defaults';
export { EventStoreService, CheckpointedEvent } from './store/event-store.service';
export { ExportedEvent, ImportResult } from './store/import-events';
export { EmbeddedPostgres } from './database/embedded-postgres';
export { explainStartupError as explainDatabaseStartupError } from './database/startup-errors';
export { TransactionHorizonError } from './database/transaction-horizon';
export { HorizonLag, HorizonHolder } from './database/horizon-monitor';
export { EventStoreRoles, eventStoreRoles, ROLE_PREFIX_PATTERN } from './database/roles';
export { EventMigrationHandler, EventMigrationFn, EventVersionInput } from './upcasting/event-migration.handler';
export { EventMigrationRegistrationError, EventMigrationFailedError } from './upcasting/event-migration.error';
export { EventUpcaster, EventUpcasterOptions, EventUpcasterHandler } from './upcasting/event-upcaster.decorator';
export { EventSchema, EventSchemaOptions } from './upcasting/event-schema.decorator';
export { validateEventSchema, EventSchemaClass } from './upcasting/validate-event-schema';
export { EventTypeInfo, MigrationStepInfo } from './upcasting/event-type-info';
export { EventStoreFeatureOptions } from './upcasting/event-store-feature';

export { EventStoreError } from './errors/event-store.error';
export { ConcurrencyError, ExpectedVersion } from './errors/concurrency.error';
export { EventValidationError, FieldViolation } from './errors/event-validation.error';
export { NotFoundError } from './errors/not-found.error';
export { EventNotFoundError } from './errors/event-not-found.error';
export { StreamNotFoundError } from './errors/stream-not-found.error';
export { DuplicateEventError } from './errors/duplicate-event.error';
export { StoreUnavailableError } from './errors/store-unavailable.error';
export { OperationNotAllowedError } from './errors/operation-not-allowed.error';
export { DataDirLockedError } from './errors/data-dir-locked.error';
export { EmbeddedDatabaseUnavailableError } from './errors/embedded-database-unavailable.error';
export { InvalidEventStoreOptionsError } from './errors/invalid-options.error';
export { EventStoreModuleNotConfiguredError } from './errors/module-not-configured.error';
export { InlineProjectionError } from './errors/inline-projection.error';
export { DatabaseStartupError, DatabaseStartupProblem, DatabaseTarget } from './errors/database-startup.error';

export { EventStorePublisher } from './publishing/event-store.publisher';
export { EventStoreSubscriber, EventStoreSubscriberOptions } from './subscriptions/event-subscriber.decorator';
export { DomainEventSubscriber } from './subscriptions/domain-event-subscriber';
export { SubscriptionManager, SubscriptionHandle } from './subscriptions/subscription-manager';
export { DeliveryOptions, RetryPolicy } from './subscriptions/delivery.options';
export { SubscriptionStart, DeliveryFilterOptions } from './subscriptions/subscription.options';
export { DeadLetter, DeadLetterRetryResult } from './subscriptions/dead-letter';
export { SubscriptionStatus, SubscriptionLag, DeliveryProgress } from './subscriptions/subscription-status';
export { SubscriptionNotFoundError, SubscriptionDefinitionError, SubscriptionLeaseHeldError } from './subscriptions/subscription.errors';
export { EventProjection, EventProjectionOptions, ProjectionMode } from './projections/event-projection.decorator';
export { ProjectionHandler, ProjectionTransaction } from './projections/projection-handler';
export { ProjectionManager, RebuildOptions, RebuildResult } from './projections/projection-manager';
export { DeliveryObservation, DeliveryObserver } from './observability/delivery-observer';
export { SPAN as EVENT_STORE_SPANS, ATTR as EVENT_STORE_SPAN_ATTRIBUTES } from './observability/span-attributes';
export { TRACER_NAME as EVENT_STORE_TRACER_NAME } from './observability/tracer';

export { StoredDomainEvent, NewDomainEvent, EventMetadata, EventData } from './types/stored-domain-event';
export { AppendOptions } from './types/append-options';
export {
  VersionRange,
  ReadMode,
  EventQueryFilter,
  EventPageRequest,
  EventPage,
  StreamEventsOptions,
  StreamCheckpoint,
  EventStatistics,
  StatisticsRange,
} from './types/read-options';
export { Snapshot, SnapshotInput } from './types/snapshot';
export {
  RedactionRequest,
  ErasureResult,
  ErasureOptions,
  ErasureProgress,
  EventsRedacted,
  RedactedEventRef,
  REDACTION_MARKER,
} from './types/redaction';

export { eventStoreMigrations } from './migrations/migrations';

export { EventSourcedAggregate, AggregateEventMap } from './aggregates/aggregate-root';
export { AggregateRepository, InjectAggregateRepository } from './aggregates/aggregate-repository';
export {
  AggregateClass,
  AggregateRepositoryOptions,
  PointInHistory,
  SaveOptions,
  getAggregateRepositoryToken,
} from './aggregates/aggregate-repository.options';
export { UncommittedEvent, AppliedEventContext, ApplyOptions } from './aggregates/aggregate-event';
export { MissingEventHandlerError, AggregateDefinitionError, UnknownEventTypeError } from './aggregates/aggregate.errors';
export { MAX_JSON_DEPTH, findLoneSurrogate, hasLoneSurrogate } from './validation/json-payload';
export { MAX_SUBJECT_IDS } from './validation/subject-ids';
export { INT4_MAX, TENANT_ID_PATTERN, isUuid } from './validation/rules';
