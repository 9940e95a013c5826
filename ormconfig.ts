// DataSource for the TypeORM CLI (migration:run / migration:revert / migration:generate):
//   DATABASE_URL=postgres://… npm run migration:run
// The app itself migrates at startup (EventStoreModule option migrationsRun);
// this file is for operators who want to migrate ahead of a deploy. It needs a
// server: the embedded database is owned by the running app.
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { EVENT_STORE_ENTITIES, EVENT_STORE_MIGRATIONS } from '@nest-event-store/core';

const url = process.env.DATABASE_URL;
if (!url) {
  throw new Error('ormconfig.ts: set DATABASE_URL=postgres://user@host:5432/db (the TypeORM CLI needs a PostgreSQL server)');
}

export default new DataSource({
  type: 'postgres',
  url,
  entities: EVENT_STORE_ENTITIES,
  migrations: EVENT_STORE_MIGRATIONS,
  migrationsTableName: 'event_store_migrations',
  migrationsTransactionMode: 'each',
  synchronize: false,
});
