import { DynamicModule, Module } from '@nestjs/common';
import { CqrsEventTypes } from './cqrs-event-types';
import { EventBusBridge } from './event-bus-bridge';
import { EVENT_STORE_CQRS_OPTIONS, EventStoreCqrsOptions } from './event-store-cqrs.options';

/**
 * Forwards committed events to the `@nestjs/cqrs` EventBus, so that
 * `@EventsHandler` classes receive them as instances of the app's event
 * classes, and gives `CqrsAggregateRepository` the same event classes to
 * load and save aggregates with. Needs `CqrsModule.forRoot()` and
 * `EventStoreModule.forRoot()`. Global, like `CqrsModule.forRoot()`, so that
 * feature modules can provide repositories.
 *
 * ```ts
 * imports: [CqrsModule.forRoot(), EventStoreModule.forRoot({ … }), EventStoreCqrsModule.forRoot({ events: [OrderPlaced, OrderShipped] })]
 * ```
 */
@Module({})
export class EventStoreCqrsModule {
  /** Registers the bridge and the event classes. */
  static forRoot(options: EventStoreCqrsOptions): DynamicModule {
    return {
      global: true,
      module: EventStoreCqrsModule,
      providers: [{ provide: EVENT_STORE_CQRS_OPTIONS, useValue: options }, CqrsEventTypes, EventBusBridge],
      exports: [EventBusBridge, CqrsEventTypes],
    };
  }
}
