import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ResolvedEventStoreOptions } from '../event-store.options';
import { EVENT_STORE_ENTITIES } from '../entities/entities';
import { eventStoreMigrations } from '../migrations/migrations';
import { EVENT_STORE_PG_TYPES } from './type-parsers';

// The connection options the pool and the migration connection share, and
// the migration run itself (on a connection of its own, see EventStoreDatabase.open).

/** What the pool and the migration connection share. */
export function dataSourceOptions(url: string, options: ResolvedEventStoreOptions) {
  return {
    type: 'postgres' as const,
    url,
    ...migrationOnlyOptions(options),
    applicationName: 'nest-event-store',
    connectTimeoutMS: options.connectionTimeoutMs,
  };
}

/** The store's entities and migrations, over whatever connection options come first. */
export function migrationOnlyOptions(options: ResolvedEventStoreOptions) {
  return {
    entities: EVENT_STORE_ENTITIES,
    migrations: [...eventStoreMigrations(options.rolePrefix), ...options.schemaMigrations],
    migrationsTableName: 'event_store_migrations',
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    migrationsRun: false,
    dropSchema: false,
    subscribers: [],
    logging: options.logging,
  };
}

/** Runs the store's migrations on a connection of its own to `url` (not bounded by the statement timeout). */
export async function migrate(url: string, options: ResolvedEventStoreOptions): Promise<void> {
  await runMigrations(new DataSource({ ...dataSourceOptions(url, options), poolSize: 1, extra: { types: EVENT_STORE_PG_TYPES } }));
}

/** Opens `dataSource`, applies the pending migrations one transaction each, and closes it. */
export async function runMigrations(dataSource: DataSource): Promise<void> {
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    if (applied.length) new Logger('EventStore').log(`Applied ${applied.length} migration(s): ${applied.map((m) => m.name).join(', ')}`);
  } finally {
    await dataSource.destroy();
  }
}
