import { AggregateRoot } from '@nestjs/cqrs';
import { OrderPlaced, OrderShipped } from './order.events';

/** The order cannot be shipped in its current status. */
export class OrderNotShippableError extends Error {
  constructor(
    readonly orderId: string,
    readonly status: string,
  ) {
    super(`Order '${orderId}' is ${status} and cannot be shipped`);
    this.name = OrderNotShippableError.name;
  }
}

/**
 * An aggregate written the @nestjs/cqrs way, with nothing of the event store
 * in it: `apply` records an event and runs its `on<EventName>` handler.
 */
export class Order extends AggregateRoot {
  status: 'new' | 'placed' | 'shipped' = 'new';
  customer = '';
  total = 0;
  carrier?: string;

  constructor(readonly id: string) {
    super();
  }

  /** A new order. */
  static place(id: string, customer: string, total: number): Order {
    const order = new Order(id);
    order.apply(new OrderPlaced(id, customer, total));
    return order;
  }

  /** Hands the order to a carrier; only a placed order ships, once. */
  ship(carrier: string): void {
    if (this.status !== 'placed') throw new OrderNotShippableError(this.id, this.status);
    this.apply(new OrderShipped(this.id, carrier));
  }

  onOrderPlaced(event: OrderPlaced): void {
    this.status = 'placed';
    this.customer = event.customer;
    this.total = event.total;
  }

  onOrderShipped(event: OrderShipped): void {
    this.status = 'shipped';
    this.carrier = event.carrier;
  }
}
