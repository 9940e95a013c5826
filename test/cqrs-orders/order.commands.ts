import { CommandHandler, EventPublisher, ICommandHandler } from '@nestjs/cqrs';
import { CqrsAggregateRepository, InjectCqrsAggregateRepository } from '@nest-event-store/core/cqrs';
import { Order } from './order.aggregate';

/** Place a new order in a tenant. */
export class PlaceOrderCommand {
  constructor(
    readonly tenantId: string,
    readonly orderId: string,
    readonly customer: string,
    readonly total: number,
  ) {}
}

/** Ship a placed order. */
export class ShipOrderCommand {
  constructor(
    readonly tenantId: string,
    readonly orderId: string,
    readonly carrier: string,
  ) {}
}

/** The stream version after the command. */
export interface OrderVersion {
  orderId: string;
  version: number;
}

@CommandHandler(PlaceOrderCommand)
export class PlaceOrderHandler implements ICommandHandler<PlaceOrderCommand, OrderVersion> {
  constructor(
    @InjectCqrsAggregateRepository(Order) private readonly orders: CqrsAggregateRepository<Order>,
    private readonly publisher: EventPublisher,
  ) {}

  async execute({ tenantId, orderId, customer, total }: PlaceOrderCommand): Promise<OrderVersion> {
    const order = this.publisher.mergeObjectContext(Order.place(orderId, customer, total));
    // A new aggregate: the append expects no stream (ConcurrencyError if the id is taken).
    await this.orders.save(order, tenantId);
    // The usual cqrs call, kept to show it is harmless: save() handed the
    // events to the store, which publishes them on the EventBus after commit.
    order.commit();
    return { orderId, version: this.orders.versionOf(order) };
  }
}

@CommandHandler(ShipOrderCommand)
export class ShipOrderHandler implements ICommandHandler<ShipOrderCommand, OrderVersion> {
  constructor(
    @InjectCqrsAggregateRepository(Order) private readonly orders: CqrsAggregateRepository<Order>,
    private readonly publisher: EventPublisher,
  ) {}

  async execute({ tenantId, orderId, carrier }: ShipOrderCommand): Promise<OrderVersion> {
    const order = this.publisher.mergeObjectContext(await this.orders.load(tenantId, orderId));
    order.ship(carrier);
    // Expects the version it loaded: a save by someone else in between is a ConcurrencyError.
    await this.orders.save(order, tenantId);
    order.commit();
    return { orderId, version: this.orders.versionOf(order) };
  }
}
