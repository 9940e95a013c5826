import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { EventMigrationRegistrationError } from './event-migration.error';
import { EventMigrationHandler } from './event-migration.handler';
import { EventUpcaster, EventUpcasterHandler } from './event-upcaster.decorator';

/**
 * Finds the `@EventUpcaster` providers of every module at module start and
 * registers them with the EventMigrationHandler, before it validates the
 * chains at application bootstrap.
 */
@Injectable()
export class EventUpcasterExplorer implements OnModuleInit {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly migrations: EventMigrationHandler,
  ) {}

  /** @throws EventMigrationRegistrationError for a bad, duplicate or request-scoped upcaster */
  onModuleInit(): void {
    // A class provided by two modules is one step, not a duplicate.
    const seen = new Set<unknown>();
    for (const wrapper of this.discovery.getProviders({ metadataKey: EventUpcaster.KEY })) {
      if (seen.has(wrapper.metatype)) continue;
      seen.add(wrapper.metatype);
      const options = this.discovery.getMetadataByDecorator(EventUpcaster, wrapper);
      const eventType = options?.eventType ?? String(wrapper.name);
      if (!wrapper.isDependencyTreeStatic()) {
        throw new EventMigrationRegistrationError(
          eventType,
          `upcaster ${String(wrapper.name)} must not be request-scoped: upcasting runs outside requests`,
        );
      }
      const instance = wrapper.instance as Partial<EventUpcasterHandler> | undefined;
      if (!options || typeof instance?.upcast !== 'function') {
        throw new EventMigrationRegistrationError(
          eventType,
          `upcaster ${String(wrapper.name)} needs @EventUpcaster({ eventType, fromVersion, toVersion }) and an upcast(data, event) method`,
        );
      }
      this.migrations.registerMigration(options.eventType, options.fromVersion, options.toVersion, (data, event) =>
        instance.upcast!(data, event),
      );
    }
  }
}
