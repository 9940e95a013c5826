import { DynamicModule, Module } from '@nestjs/common';
import { EventStoreConfiguredCheck } from './event-store-configured.check';
import { EventStoreCoreModule } from './event-store-core.module';
import { EVENT_STORE_ASYNC_OPTIONS_TYPE, EVENT_STORE_OPTIONS_TYPE } from './event-store.module-definition';
import { EventStoreFeatureOptions, createEventStoreFeatureProviders } from './upcasting/event-store-feature';

/**
 * The event store for a NestJS application.
 *
 * ```ts
 * EventStoreModule.forRoot({ databaseUrl: process.env.DATABASE_URL })
 * ```
 */
// The check runs in every import of this module (forRoot, forFeature, or the bare class).
@Module({ providers: [EventStoreConfiguredCheck] })
export class EventStoreModule {
  /** Registers the store with static options. */
  static forRoot(options: typeof EVENT_STORE_OPTIONS_TYPE): DynamicModule {
    return { module: EventStoreModule, imports: [EventStoreCoreModule.forRoot(options)] };
  }

  /** Registers the store with options from a factory (e.g. ConfigService). */
  static forRootAsync(options: typeof EVENT_STORE_ASYNC_OPTIONS_TYPE): DynamicModule {
    return { module: EventStoreModule, imports: [EventStoreCoreModule.forRootAsync(options)] };
  }

  /**
   * Adds a feature's `@EventUpcaster` providers and `@EventSchema` payload
   * classes to the store configured by forRoot; chains are checked at start.
   * @throws EventMigrationRegistrationError at start when a chain is broken
   */
  static forFeature(options: EventStoreFeatureOptions = {}): DynamicModule {
    return { module: EventStoreModule, providers: createEventStoreFeatureProviders(options) };
  }
}
