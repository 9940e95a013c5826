// The consumer scenario: boot the store from the installed package, append,
// read, upcast, subscribe; any failed check exits non-zero.
//   node dist/main.js server <postgres admin url>   a fresh database on that server
//   node dist/main.js embedded <data dir>           embedded PGlite
//   node dist/main.js no-pglite <data dir>          embedded mode without PGlite installed
import 'reflect-metadata';
import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { DynamicModule, INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { Client } from 'pg';
import {
  ConcurrencyError,
  EmbeddedDatabaseUnavailableError,
  EventStoreModule,
  EventStoreModuleOptions,
  EventStoreService,
  StoredDomainEvent,
  SubscriptionManager,
} from '@nest-event-store/core';
import { EventStoreCqrsModule, getEventEnvelope } from '@nest-event-store/core/cqrs';
import { given, openTestStore } from '@nest-event-store/core/testing';
import { OrderLog, OrderPlaced, OrderPlacedHandler, OrderPlacedV1ToV2 } from './orders';

@Module({})
class AppModule {
  static forRoot(options: EventStoreModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CqrsModule.forRoot(),
        EventStoreModule.forRoot(options),
        EventStoreModule.forFeature({ upcasters: [OrderPlacedV1ToV2] }),
        EventStoreCqrsModule.forRoot({ events: [OrderPlaced], name: 'consumer-event-bus', startFrom: 'beginning' }),
      ],
      providers: [OrderLog, OrderPlacedHandler],
    };
  }
}

async function boot(
  options: EventStoreModuleOptions,
  logger: false | ['error', 'warn'] = ['error', 'warn'],
): Promise<INestApplicationContext> {
  // abortOnError: false makes a failed start reject instead of exiting the process.
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(options), { logger, abortOnError: false });
  app.enableShutdownHooks();
  return app;
}

async function scenario(options: EventStoreModuleOptions, label: string): Promise<void> {
  const app = await boot(options);
  try {
    const store = app.get(EventStoreService);
    const subscriptions = app.get(SubscriptionManager);
    const tenant = 'consumer-tenant';
    const orderId = `order-${randomUUID()}`;

    const [placed] = await store.appendEvents(
      [{ aggregateType: 'Order', aggregateId: orderId, eventType: 'OrderPlaced', eventVersion: 1, data: { amount: 42 } }],
      tenant,
      { expectedVersion: 'no_stream' },
    );
    assert.equal(placed.aggregateVersion, 1);
    await store.appendEvent(
      { aggregateType: 'Order', aggregateId: orderId, eventType: 'OrderShipped', data: { carrier: 'post' } },
      tenant,
      { expectedVersion: 1 },
    );

    // The library's error classes keep their identity across the package boundary.
    const stale = await store
      .appendEvent({ aggregateType: 'Order', aggregateId: orderId, eventType: 'OrderShipped', data: {} }, tenant, { expectedVersion: 1 })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    assert.ok(stale instanceof ConcurrencyError, `expected ConcurrencyError, got ${String(stale)}`);
    assert.equal(stale.actualVersion, 2);

    const stream = await store.getStream(orderId, tenant);
    assert.equal(stream.version, 2);
    assert.deepEqual(
      stream.events.map((e) => e.eventType),
      ['OrderPlaced', 'OrderShipped'],
    );
    // Read through the upcaster registered with forFeature: v1 on disk, v2 in hand.
    assert.equal(stream.events[0].eventVersion, 2);
    assert.deepEqual(stream.events[0].data, { amount: 42, currency: 'EUR' });

    // A decorated subscriber and a programmatic subscription both see the committed events.
    const seen: StoredDomainEvent[] = [];
    const handle = await subscriptions.subscribe({ name: 'consumer-programmatic', eventTypes: ['OrderShipped'] }, (event) => {
      seen.push(event);
    });
    await subscriptions.waitUntilCaughtUp('consumer-order-log', 30_000);
    await subscriptions.waitUntilCaughtUp('consumer-programmatic', 30_000);
    const log = app.get(OrderLog);
    assert.deepEqual(
      log.received.filter((e) => e.aggregateId === orderId).map((e) => e.eventType),
      ['OrderPlaced', 'OrderShipped'],
    );
    assert.equal(log.received.find((e) => e.eventType === 'OrderPlaced')?.data.currency, 'EUR');
    assert.deepEqual(
      seen.filter((e) => e.aggregateId === orderId).map((e) => e.aggregateVersion),
      [2],
    );
    await handle.stop();
    // The @nestjs/cqrs bridge: an instance of the app's class, upcast, after commit.
    await subscriptions.waitUntilCaughtUp('consumer-event-bus', 30_000);
    const onBus = app.get(OrderPlacedHandler).received.find((e) => getEventEnvelope(e)?.aggregateId === orderId);
    assert.ok(onBus instanceof OrderPlaced, 'OrderPlaced did not reach the @EventsHandler');
    assert.deepEqual({ ...onBus }, { amount: 42, currency: 'EUR' });
    console.log(
      `consumer ${label}: appended 2, read 2 (upcast v1→v2), ConcurrencyError on a stale append, 2 delivered to @EventStoreSubscriber, 1 to subscribe(), OrderPlaced on the cqrs EventBus: ok`,
    );
  } finally {
    await app.close();
  }
}

async function onServer(adminUrl: string): Promise<void> {
  const database = `es_consumer_${Date.now()}_${process.pid}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  try {
    const url = new URL(adminUrl);
    url.pathname = `/${database}`;
    await scenario({ databaseUrl: url.toString() }, `server (${url.host}/${database})`);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
}

async function withoutPglite(dataDir: string): Promise<void> {
  const outcome = await boot({ dataDir }, false).then(
    async (app) => {
      await app.close();
      return undefined;
    },
    (error: unknown) => error,
  );
  assert.ok(outcome instanceof EmbeddedDatabaseUnavailableError, `expected EmbeddedDatabaseUnavailableError, got ${String(outcome)}`);
  assert.match(outcome.message, /npm install @electric-sql\/pglite/);
  console.log(`consumer no-pglite: ${outcome.name}: ${outcome.message}`);
}

async function main(): Promise<void> {
  // The testing entry point resolves and exports its helpers.
  assert.equal(typeof given, 'function');
  assert.equal(typeof openTestStore, 'function');
  const [mode, target] = process.argv.slice(2);
  if (mode === 'server') await onServer(target);
  else if (mode === 'embedded') await scenario({ dataDir: target }, `embedded (${target})`);
  else if (mode === 'no-pglite') await withoutPglite(target);
  else throw new Error(`unknown mode '${mode}'`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
