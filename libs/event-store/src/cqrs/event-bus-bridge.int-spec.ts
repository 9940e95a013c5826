import { Injectable, INestApplicationContext } from '@nestjs/common';
import { CqrsModule, EventsHandler, IEventHandler, UnhandledExceptionBus } from '@nestjs/cqrs';
import { Test } from '@nestjs/testing';
import { EventStoreModule } from '../event-store.module';
import { EventStoreService } from '../store/event-store.service';
import { DatabaseMode, TestDatabase, createTestDatabase, describeEachBackend } from '../testing';
import { EventData } from '../types/stored-domain-event';
import { EventUpcaster, EventUpcasterHandler } from '../upcasting/event-upcaster.decorator';
import { getEventEnvelope } from './event-envelope';
import { EventStoreCqrsModule } from './event-store-cqrs.module';
import { eventually } from '../testing/eventually';

class OrderPlaced {
  constructor(
    readonly amount: number,
    readonly currency: string,
  ) {}
}

class OrderShipped {
  constructor(readonly carrier: string) {}
}

@Injectable()
@EventUpcaster({ eventType: 'OrderPlaced', fromVersion: 1, toVersion: 2 })
class OrderPlacedV1ToV2 implements EventUpcasterHandler {
  upcast(data: EventData): EventData {
    return { ...data, currency: 'EUR' };
  }
}

const received: object[] = [];

@EventsHandler(OrderPlaced)
class OrderPlacedHandler implements IEventHandler<OrderPlaced> {
  handle(event: OrderPlaced): void {
    received.push(event);
  }
}

@EventsHandler(OrderShipped)
class FailingShippedHandler implements IEventHandler<OrderShipped> {
  handle(): void {
    throw new Error('the mail server is down');
  }
}

describeEachBackend('EventStoreCqrsModule', (mode: DatabaseMode) => {
  let database: TestDatabase;
  let app: INestApplicationContext;
  let store: EventStoreService;
  const unhandled: unknown[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(mode);
    const moduleRef = await Test.createTestingModule({
      imports: [
        CqrsModule.forRoot(),
        EventStoreModule.forRoot({ databaseUrl: database.databaseUrl, dataDir: database.dataDir, delivery: { pollIntervalMs: 20 } }),
        EventStoreModule.forFeature({ upcasters: [OrderPlacedV1ToV2] }),
        EventStoreCqrsModule.forRoot({ events: [OrderPlaced, OrderShipped], startFrom: 'beginning' }),
      ],
      providers: [OrderPlacedHandler, FailingShippedHandler],
    }).compile();
    app = await moduleRef.init();
    app.get(UnhandledExceptionBus).subscribe((info) => unhandled.push(info.exception));
    store = app.get(EventStoreService);
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('publishes a committed event on the EventBus as an instance of the app class, upcast to the latest version', async () => {
    await store.appendEvent(
      { aggregateType: 'Order', aggregateId: `order-${mode}-1`, eventType: 'OrderPlaced', eventVersion: 1, data: { amount: 42 } },
      'acme',
      { expectedVersion: 'no_stream' },
    );
    await eventually(() => received.some((e) => getEventEnvelope(e)?.aggregateId === `order-${mode}-1`));
    const event = received.find((e) => getEventEnvelope(e)?.aggregateId === `order-${mode}-1`)!;
    expect(event).toBeInstanceOf(OrderPlaced);
    expect({ ...event }).toEqual({ amount: 42, currency: 'EUR' });
    expect(getEventEnvelope(event)).toMatchObject({ tenantId: 'acme', aggregateVersion: 1, eventVersion: 2 });
  });

  it('lets neither the append nor later events fail when an @EventsHandler throws', async () => {
    await expect(
      store.appendEvents(
        [
          { aggregateType: 'Order', aggregateId: `order-${mode}-2`, eventType: 'OrderShipped', data: { carrier: 'post' } },
          {
            aggregateType: 'Order',
            aggregateId: `order-${mode}-2`,
            eventType: 'OrderPlaced',
            eventVersion: 2,
            data: { amount: 7, currency: 'CHF' },
          },
        ],
        'acme',
      ),
    ).resolves.toHaveLength(2);
    await eventually(() => received.some((e) => getEventEnvelope(e)?.aggregateId === `order-${mode}-2`));
    await eventually(() => unhandled.some((e) => e instanceof Error && e.message === 'the mail server is down'));
  });

  it('does not forward event types that have no class', async () => {
    await store.appendEvent({ aggregateType: 'Order', aggregateId: `order-${mode}-3`, eventType: 'OrderAudited', data: {} }, 'acme');
    await store.appendEvent(
      {
        aggregateType: 'Order',
        aggregateId: `order-${mode}-3`,
        eventType: 'OrderPlaced',
        eventVersion: 2,
        data: { amount: 1, currency: 'EUR' },
      },
      'acme',
    );
    await eventually(() => received.some((e) => getEventEnvelope(e)?.aggregateId === `order-${mode}-3`));
    expect(
      received.filter((e) => getEventEnvelope(e)?.aggregateId === `order-${mode}-3`).map((e) => getEventEnvelope(e)?.eventType),
    ).toEqual(['OrderPlaced']);
  });
});
