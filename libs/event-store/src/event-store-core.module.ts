import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { EventStoreDatabase } from './database/event-store-database';
import { ConfigurableEventStoreModule, EVENT_STORE_OPTIONS } from './event-store.module-definition';
import { EventStoreModuleOptions, resolveEventStoreOptions } from './event-store.options';
import { EventStoreService } from './store/event-store.service';
import { EventMigrationHandler } from './upcasting/event-migration.handler';
import { EventUpcasterExplorer } from './upcasting/event-upcaster.explorer';
import { EventStorePublisher } from './publishing/event-store.publisher';
import { SubscriptionManager } from './subscriptions/subscription-manager';
import { ProjectionManager } from './projections/projection-manager';
import { InlineProjections } from './projections/inline-projections';
import { ProjectionExplorer } from './projections/projection-explorer';
import { HorizonMonitor } from './database/horizon-monitor';
import { INLINE_APPEND } from './store/inline-append';

/**
 * Global core: owns the database (pool, embedded PGlite, migrations) and the
 * store services, and closes the database on shutdown.
 */
@Global()
@Module({
  // DiscoveryModule: EventUpcasterExplorer finds @EventUpcaster providers at start.
  imports: [DiscoveryModule],
  providers: [
    {
      provide: EventStoreDatabase,
      inject: [EVENT_STORE_OPTIONS],
      useFactory: (options: EventStoreModuleOptions) => EventStoreDatabase.open(resolveEventStoreOptions(options)),
    },
    // Watches the read horizon for stuck transactions; EventStoreService.getHorizonLag asks it.
    HorizonMonitor,
    EventMigrationHandler,
    EventUpcasterExplorer,
    EventStoreService,
    // Delivery: @EventStoreSubscriber providers run as durable subscriptions, and async
    // @EventProjection providers build on them (ProjectionManager registers them); all are
    // started on bootstrap and stopped in beforeApplicationShutdown (before the database closes).
    SubscriptionManager,
    ProjectionExplorer,
    ProjectionManager,
    // @EventProjection({ mode: 'inline' }) providers, applied in the append's transaction.
    // The store asks for them by its own interface (store/inline-append.ts), so it imports nothing of projections/.
    InlineProjections,
    { provide: INLINE_APPEND, useExisting: InlineProjections },
    EventStorePublisher,
  ],
  exports: [EventStoreDatabase, EventMigrationHandler, EventStoreService, SubscriptionManager, ProjectionManager, EventStorePublisher],
})
export class EventStoreCoreModule extends ConfigurableEventStoreModule implements OnApplicationShutdown {
  constructor(@Inject(EventStoreDatabase) private readonly database: EventStoreDatabase) {
    super();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.database.close();
  }
}
