import { Injectable } from '@nestjs/common';
import { EventsHandler, IEventHandler } from '@nestjs/cqrs';
import {
  DomainEventSubscriber,
  EventData,
  EventStoreSubscriber,
  EventUpcaster,
  EventUpcasterHandler,
  StoredDomainEvent,
} from '@nest-event-store/core';

/** Version 1 of OrderPlaced had no currency; every order then was in euros. */
@Injectable()
@EventUpcaster({ eventType: 'OrderPlaced', fromVersion: 1, toVersion: 2 })
export class OrderPlacedV1ToV2 implements EventUpcasterHandler {
  upcast(data: EventData): EventData {
    return { ...data, currency: 'EUR' };
  }
}

/** A durable subscriber found by the store's discovery decorator. */
@Injectable()
@EventStoreSubscriber({ name: 'consumer-order-log', eventTypes: ['OrderPlaced', 'OrderShipped'] })
export class OrderLog implements DomainEventSubscriber {
  readonly received: StoredDomainEvent[] = [];

  handle(event: StoredDomainEvent): void {
    this.received.push(event);
  }
}

/** The app's own event class, as a @nestjs/cqrs app has it. */
export class OrderPlaced {
  constructor(
    readonly amount: number,
    readonly currency: string,
  ) {}
}

/** Receives OrderPlaced from the EventBus, forwarded by EventStoreCqrsModule after commit. */
@EventsHandler(OrderPlaced)
export class OrderPlacedHandler implements IEventHandler<OrderPlaced> {
  readonly received: OrderPlaced[] = [];

  handle(event: OrderPlaced): void {
    this.received.push(event);
  }
}
