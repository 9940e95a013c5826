import { DynamicModule, Module } from '@nestjs/common';
import { EventBusBridge } from './event-bus-bridge';
import { EVENT_STORE_CQRS_OPTIONS, EventStoreCqrsOptions } from './event-store-cqrs.options';

/**
 * Forwards committed events to the `@nestjs/cqrs` EventBus, so that
 * `@EventsHandler` classes receive them as instances of the app's event
 * classes. Needs `CqrsModule.forRoot()` and `EventStoreModule.forRoot()`.
 *
 * ```ts
 * imports: [CqrsModule.forRoot(), EventStoreModule.forRoot({ … }), EventStoreCqrsModule.forRoot({ events: [OrderPlaced, OrderShipped] })]
 * ```
 */
@Module({})
export class EventStoreCqrsModule {
  /** Registers the bridge for the given event classes. */
  static forRoot(options: EventStoreCqrsOptions): DynamicModule {
    return {
      module: EventStoreCqrsModule,
      providers: [{ provide: EVENT_STORE_CQRS_OPTIONS, useValue: options }, EventBusBridge],
      exports: [EventBusBridge],
    };
  }
}
