import { Provider, Type } from '@nestjs/common';
import { EventStoreModuleNotConfiguredError } from '../errors/module-not-configured.error';
import { EventMigrationRegistrationError } from './event-migration.error';
import { EventMigrationHandler } from './event-migration.handler';
import { getEventSchemaOptions } from './event-schema.decorator';
import { EventUpcasterHandler } from './event-upcaster.decorator';
import { EventSchemaClass } from './validate-event-schema';

/** What a feature module contributes to the store (see EventStoreModule.forFeature). */
export interface EventStoreFeatureOptions {
  /** `@EventUpcaster` classes; provided in the feature module and found at start. */
  upcasters?: Type<EventUpcasterHandler>[];
  /** `@EventSchema` class-validator classes; appends of their type and version are validated. */
  schemas?: EventSchemaClass[];
}

let featureCount = 0;

/**
 * The providers of one forFeature call: the upcaster classes themselves, and a
 * provider that registers the schemas when the module is instantiated (before
 * the handler validates the chains at bootstrap).
 */
export function createEventStoreFeatureProviders(options: EventStoreFeatureOptions = {}): Provider[] {
  const schemas = options.schemas ?? [];
  const registerSchemas: Provider = {
    provide: `EVENT_STORE_FEATURE_SCHEMAS_${++featureCount}`,
    // Optional, so that forFeature without forRoot gets an error that says so.
    inject: [{ token: EventMigrationHandler, optional: true }],
    useFactory: (migrations: EventMigrationHandler | undefined) => {
      if (!migrations) throw new EventStoreModuleNotConfiguredError('EventStoreModule.forFeature()');
      for (const schema of schemas) {
        const meta = getEventSchemaOptions(schema);
        if (!meta)
          throw new EventMigrationRegistrationError(
            schema?.name ?? String(schema),
            'a schema class needs @EventSchema({ eventType, version })',
          );
        migrations.registerSchema(meta.eventType, meta.version ?? 1, schema);
      }
      return schemas;
    },
  };
  return [...(options.upcasters ?? []), registerSchemas];
}
