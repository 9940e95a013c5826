import { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { EventStoreModule } from '../event-store.module';
import { EventStoreService } from '../store/event-store.service';
import { ProductionRolesDatabase, createProductionRolesDatabase } from '../testing/production-roles';
import { SERVER_MODE, serverReachable } from '../testing/test-database';
import { EmbeddedPostgres } from './embedded-postgres';
import { EventStoreDatabase } from './event-store-database';

// Decision 0020: an application that owns its DataSource, on the embedded
// database it started itself or on a server with separate logins.

async function openStore(dataSource: DataSource, options: { rolePrefix?: string; migrationsUrl?: string } = {}) {
  const moduleRef = await Test.createTestingModule({ imports: [EventStoreModule.forRoot({ dataSource, ...options })] }).compile();
  return moduleRef.init();
}

async function appendAndRead(app: INestApplicationContext): Promise<void> {
  const store = app.get(EventStoreService);
  await store.appendEvent({ aggregateType: 'Ticket', aggregateId: 't-1', eventType: 'TicketOpened', data: { n: 1 } }, 'acme');
  expect((await store.getEventsForAggregate('t-1', 'acme')).map((e) => e.data)).toEqual([{ n: 1 }]);
}

describe('a shared DataSource on the application embedded database', () => {
  let embedded: EmbeddedPostgres;
  let dataSource: DataSource;
  let app: INestApplicationContext | undefined;

  beforeAll(async () => {
    embedded = await EmbeddedPostgres.start('memory://', 4);
    dataSource = await new DataSource({ type: 'postgres', url: embedded.url, poolSize: 3 }).initialize();
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await dataSource?.destroy();
    await embedded?.stop();
  });

  it('is recognised as embedded, migrated and used, and left open when the store closes', async () => {
    expect(EmbeddedPostgres.serves(embedded.url)).toBe(true);
    app = await openStore(dataSource);
    expect(app.get(EventStoreDatabase).isEmbedded).toBe(true);
    await appendAndRead(app);
    await app.close();
    app = undefined;
    expect(dataSource.isInitialized).toBe(true);
  });

  it('is no longer recognised once stopped', async () => {
    const other = await EmbeddedPostgres.start('memory://', 1);
    const url = other.url;
    await other.stop();
    expect(EmbeddedPostgres.serves(url)).toBe(false);
    expect(EmbeddedPostgres.serves(undefined)).toBe(false);
  });
});

describe('a shared DataSource of a runtime login, migrated as the owner (migrationsUrl)', () => {
  let db: ProductionRolesDatabase | undefined;
  let dataSource: DataSource | undefined;
  let app: INestApplicationContext | undefined;

  beforeAll(async () => {
    if (!(await serverReachable())) {
      if (SERVER_MODE === 'required') throw new Error('PostgreSQL test server unreachable and EVENT_STORE_TEST_SERVER=required');
      return;
    }
    db = await createProductionRolesDatabase();
    dataSource = await new DataSource({ type: 'postgres', url: db.runtimeUrl, poolSize: 3 }).initialize();
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await dataSource?.destroy();
    await db?.drop();
  });

  it('migrates with the owner login, then runs on the runtime pool', async () => {
    if (!db || !dataSource) return;
    // The runtime login cannot run DDL: without migrationsUrl the start fails.
    await expect(openStore(dataSource, { rolePrefix: db.rolePrefix })).rejects.toThrow();
    app = await openStore(dataSource, { rolePrefix: db.rolePrefix, migrationsUrl: db.ownerUrl });
    expect(app.get(EventStoreDatabase).dataSource).toBe(dataSource);
    await appendAndRead(app);
  });
});
