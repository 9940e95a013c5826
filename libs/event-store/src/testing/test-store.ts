import { Test } from '@nestjs/testing';
import { INestApplicationContext } from '@nestjs/common';
import { EventStoreDatabase } from '../database/event-store-database';
import { EventStoreModule } from '../event-store.module';
import { EventStoreModuleOptions } from '../event-store.options';
import { EventStoreService } from '../store/event-store.service';
import { EventMigrationHandler } from '../upcasting/event-migration.handler';
import { DatabaseMode, TestDatabase, createTestDatabase } from './test-database';

/** A running store on a fresh database, for one test file. */
export interface TestStore {
  app: INestApplicationContext;
  store: EventStoreService;
  migrations: EventMigrationHandler;
  database: EventStoreDatabase;
  testDatabase: TestDatabase;
  close(): Promise<void>;
}

/** Boots EventStoreModule on a fresh database of the given mode. */
export async function openTestStore(mode: DatabaseMode, options: EventStoreModuleOptions = {}): Promise<TestStore> {
  const testDatabase = await createTestDatabase(mode);
  const moduleRef = await Test.createTestingModule({
    imports: [
      EventStoreModule.forRoot({
        databaseUrl: testDatabase.databaseUrl,
        dataDir: testDatabase.dataDir,
        allowTenantPurge: true,
        ...options,
      }),
    ],
  }).compile();
  const app = await moduleRef.init();
  app.enableShutdownHooks();
  return {
    app,
    store: app.get(EventStoreService),
    migrations: app.get(EventMigrationHandler),
    database: app.get(EventStoreDatabase),
    testDatabase,
    close: async () => {
      await app.close();
      await testDatabase.drop();
    },
  };
}
