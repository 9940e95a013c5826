import { INestApplicationContext } from '@nestjs/common';
import { CommandBus, CqrsModule } from '@nestjs/cqrs';
import { Test } from '@nestjs/testing';
import { ConcurrencyError, EventStoreModule, EventStoreService } from '@nest-event-store/core';
import { CqrsAggregateRepository, EventStoreCqrsModule, getCqrsAggregateRepositoryToken } from '@nest-event-store/core/cqrs';
import { DatabaseMode, TestDatabase, createTestDatabase, describeEachBackend, eventually } from '@nest-event-store/core/testing';
import { Order } from './cqrs-orders/order.aggregate';
import { OrderVersion, PlaceOrderCommand, ShipOrderCommand } from './cqrs-orders/order.commands';
import { OrderTimeline } from './cqrs-orders/order-timeline.handler';
import { ORDER_EVENTS, OrdersModule } from './cqrs-orders/orders.module';

describeEachBackend('@nestjs/cqrs aggregates in the store (example module test/cqrs-orders)', (mode: DatabaseMode) => {
  let database: TestDatabase;
  let app: INestApplicationContext;
  let commands: CommandBus;
  let orders: CqrsAggregateRepository<Order>;
  let timeline: OrderTimeline;

  beforeAll(async () => {
    database = await createTestDatabase(mode);
    const moduleRef = await Test.createTestingModule({
      imports: [
        CqrsModule.forRoot(),
        EventStoreModule.forRoot({ databaseUrl: database.databaseUrl, dataDir: database.dataDir, delivery: { pollIntervalMs: 20 } }),
        EventStoreCqrsModule.forRoot({ events: ORDER_EVENTS }),
        OrdersModule,
      ],
    }).compile();
    app = await moduleRef.init();
    commands = app.get(CommandBus);
    orders = app.get(getCqrsAggregateRepositoryToken(Order));
    timeline = app.get(OrderTimeline);
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('places and ships an order through command handlers and reloads it from its stream', async () => {
    expect(await commands.execute<PlaceOrderCommand, OrderVersion>(new PlaceOrderCommand('acme', 'order-1', 'Ada', 42))).toEqual({
      orderId: 'order-1',
      version: 1,
    });
    expect(await commands.execute<ShipOrderCommand, OrderVersion>(new ShipOrderCommand('acme', 'order-1', 'post'))).toEqual({
      orderId: 'order-1',
      version: 2,
    });

    const order = await orders.load('acme', 'order-1');
    expect(order).toBeInstanceOf(Order);
    expect(order).toMatchObject({ id: 'order-1', status: 'shipped', customer: 'Ada', total: 42, carrier: 'post' });
    expect(order.getUncommittedEvents()).toEqual([]);
    expect(orders.versionOf(order)).toBe(2);

    const stored = await app.get(EventStoreService).getEventsForAggregate('order-1', 'acme');
    expect(stored.map((e) => [e.aggregateType, e.eventType, e.aggregateVersion, e.data])).toEqual([
      ['Order', 'OrderPlaced', 1, { orderId: 'order-1', customer: 'Ada', total: 42 }],
      ['Order', 'OrderShipped', 2, { orderId: 'order-1', carrier: 'post' }],
    ]);
  });

  it('delivers each saved event to the @EventsHandler once, although the handlers also call commit()', async () => {
    await commands.execute(new PlaceOrderCommand('acme', 'order-2', 'Grace', 7));
    await commands.execute(new ShipOrderCommand('acme', 'order-2', 'courier'));
    // Delivery follows the commit order: once a later order's event arrived, a duplicate of order-2's would have too.
    await commands.execute(new PlaceOrderCommand('acme', 'order-2-sentinel', 'Linus', 1));
    await eventually(() => timeline.of('order-2-sentinel').length === 1);
    expect(timeline.of('order-2')).toEqual([
      { event: 'OrderPlaced', version: 1 },
      { event: 'OrderShipped', version: 2 },
    ]);
  });

  it('rejects the second of two saves from the same loaded version with ConcurrencyError, writing none of its events', async () => {
    await commands.execute(new PlaceOrderCommand('acme', 'order-3', 'Barbara', 10));
    const first = await orders.load('acme', 'order-3');
    const second = await orders.load('acme', 'order-3');
    first.ship('post');
    second.ship('courier');
    await orders.save(first, 'acme');

    const error = await orders.save(second, 'acme').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConcurrencyError);
    expect(error).toMatchObject({ aggregateId: 'order-3', expectedVersion: 1, actualVersion: 2 });
    expect(second.getUncommittedEvents()).toHaveLength(1); // kept for the caller to inspect; reload and retry
    expect(await orders.load('acme', 'order-3')).toMatchObject({ status: 'shipped', carrier: 'post' });
  });

  it('rejects placing an order whose id is taken with ConcurrencyError (the new stream expects none)', async () => {
    await commands.execute(new PlaceOrderCommand('acme', 'order-4', 'Edsger', 3));
    await expect(commands.execute(new PlaceOrderCommand('acme', 'order-4', 'Someone else', 99))).rejects.toBeInstanceOf(ConcurrencyError);
  });

  it("keeps tenants apart: another tenant's order id is not found", async () => {
    await commands.execute(new PlaceOrderCommand('acme', 'order-5', 'Ken', 5));
    await expect(orders.load('globex', 'order-5')).rejects.toMatchObject({ code: 'STREAM_NOT_FOUND' });
  });
});
