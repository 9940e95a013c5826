import { Module } from '@nestjs/common';
import { CqrsAggregateRepository, getCqrsAggregateRepositoryToken } from '@nest-event-store/core/cqrs';
import { Order } from './order.aggregate';
import { PlaceOrderHandler, ShipOrderHandler } from './order.commands';
import { OrderPlaced, OrderShipped } from './order.events';
import { OrderTimeline } from './order-timeline.handler';

/** The event classes of this module, for `EventStoreCqrsModule.forRoot({ events })`. */
export const ORDER_EVENTS = [OrderPlaced, OrderShipped];

/**
 * A small @nestjs/cqrs module whose aggregate lives in the event store.
 * The root module imports `CqrsModule.forRoot()`, `EventStoreModule.forRoot(…)`
 * and `EventStoreCqrsModule.forRoot({ events: ORDER_EVENTS })`.
 */
@Module({
  providers: [CqrsAggregateRepository.provide(Order), PlaceOrderHandler, ShipOrderHandler, OrderTimeline],
  exports: [getCqrsAggregateRepositoryToken(Order), OrderTimeline],
})
export class OrdersModule {}
