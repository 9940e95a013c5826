import { Injectable } from '@nestjs/common';
import { EventsHandler, IEventHandler } from '@nestjs/cqrs';
import { getEventEnvelope } from '@nest-event-store/core/cqrs';
import { OrderPlaced, OrderShipped } from './order.events';

/** One line of an order's timeline. */
export interface TimelineEntry {
  event: string;
  version: number;
}

/**
 * A read model fed by the EventBus: what happened to each order, in order.
 * In memory to keep the example small; a real one would be idempotent on
 * (stream, version), as delivery is at-least-once.
 */
@Injectable()
@EventsHandler(OrderPlaced, OrderShipped)
export class OrderTimeline implements IEventHandler<OrderPlaced | OrderShipped> {
  private readonly entries = new Map<string, TimelineEntry[]>();

  handle(event: OrderPlaced | OrderShipped): void {
    const envelope = getEventEnvelope(event);
    const list = this.entries.get(event.orderId) ?? [];
    list.push({ event: event.constructor.name, version: envelope?.aggregateVersion ?? 0 });
    this.entries.set(event.orderId, list);
  }

  /** The order's timeline so far. */
  of(orderId: string): TimelineEntry[] {
    return this.entries.get(orderId) ?? [];
  }
}
