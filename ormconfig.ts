// DataSource for the TypeORM CLI (migration:run / migration:revert):
//   MIGRATIONS_DATABASE_URL=postgres://owner@… npm run migration:run
// (the schema owner's login; DATABASE_URL when unset), with EVENT_STORE_ROLE_PREFIX
// when the app sets one. See README "Production roles".
// The app itself migrates at startup (EventStoreModule option migrationsRun);
// this file is for operators who want to migrate ahead of a deploy. It needs a
// server: the embedded database is owned by the running app.
// It lists exactly what the app applies at startup: the store's migrations,
// then the app's own (requirementsMigrations), in one history table.
// There is no migration:generate: the schema lives in hand-written migrations
// (partial indexes, row-level security, triggers, grants) that entities cannot
// describe, so a generated diff would only propose dropping them.
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { eventStoreMigrations } from '@nest-event-store/core';
import { requirementsMigrations } from './apps/api/src/requirements/requirements.migrations';

const url = process.env.MIGRATIONS_DATABASE_URL || process.env.DATABASE_URL;
if (!url) {
  throw new Error(
    'ormconfig.ts: set MIGRATIONS_DATABASE_URL or DATABASE_URL=postgres://user@host:5432/db (the TypeORM CLI needs a PostgreSQL server)',
  );
}

const rolePrefix = process.env.EVENT_STORE_ROLE_PREFIX || undefined;

export default new DataSource({
  type: 'postgres',
  url,
  migrations: [...eventStoreMigrations(rolePrefix), ...requirementsMigrations(rolePrefix)],
  migrationsTableName: 'event_store_migrations',
  migrationsTransactionMode: 'each',
  synchronize: false,
});
