// The @nestjs/cqrs bridge: a separate entry point (`@nest-event-store/core/cqrs`),
// so that apps without @nestjs/cqrs never load it.
export { EventStoreCqrsModule } from './event-store-cqrs.module';
export { EventStoreCqrsOptions, EVENT_STORE_CQRS_OPTIONS } from './event-store-cqrs.options';
export { EventBusBridge } from './event-bus-bridge';
export { getEventEnvelope } from './event-envelope';
export { CqrsEventTypes } from './cqrs-event-types';
export { CqrsAggregateRepository, InjectCqrsAggregateRepository } from './cqrs-aggregate-repository';
export { CqrsAggregateRepositoryOptions, CqrsSaveOptions, getCqrsAggregateRepositoryToken } from './cqrs-aggregate-repository.options';
export { UnregisteredEventClassError } from './cqrs.errors';
