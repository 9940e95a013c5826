import { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EventStoreDatabase } from '../database/event-store-database';
import { EventStoreModule } from '../event-store.module';
import { EventStoreModuleOptions } from '../event-store.options';
import { EventStoreService } from '../store/event-store.service';
import { FAST_DELIVERY } from '../subscriptions/testing-fixtures/delivery-app';
import { describeEachBackend } from '../testing/describe-each-backend';
import { DatabaseMode, TestDatabase, createTestDatabase } from '../testing/test-database';
import { ProjectionManager } from './projection-manager';
import {
  CreateTicketReadModels1763900200000,
  InlineRedactionProjection,
  OpenTicketsProjection,
  TicketLogProjection,
} from './testing-fixtures/ticket-count.projection';

const STORE_OPTIONS: EventStoreModuleOptions = { schemaMigrations: [CreateTicketReadModels1763900200000], delivery: FAST_DELIVERY };
const PROVIDERS = [OpenTicketsProjection, TicketLogProjection];

/**
 * Server: the application's TypeOrmModule DataSource, shared with the store.
 * Embedded: the store's own DataSource (PGlite cannot be shared through TypeOrmModule).
 */
async function openApp(mode: DatabaseMode, db: TestDatabase): Promise<INestApplicationContext> {
  const imports =
    mode === 'server'
      ? [
          TypeOrmModule.forRoot({ type: 'postgres', url: db.databaseUrl }),
          EventStoreModule.forRootAsync({
            inject: [getDataSourceToken()],
            useFactory: (dataSource: DataSource) => ({ dataSource, ...STORE_OPTIONS }),
          }),
        ]
      : [EventStoreModule.forRoot({ dataDir: db.dataDir, ...STORE_OPTIONS })];
  const moduleRef = await Test.createTestingModule({ imports, providers: PROVIDERS }).compile();
  return moduleRef.init();
}

const ticket = (id: string, eventType: string, data: Record<string, unknown> = {}) => ({
  aggregateType: 'Ticket',
  aggregateId: id,
  eventType,
  data,
});

describeEachBackend('inline projections and a shared DataSource', (mode) => {
  let db: TestDatabase;
  let app: INestApplicationContext;
  let store: EventStoreService;
  let database: EventStoreDatabase;
  const openTickets = async (tenant: string) =>
    await database.query<{ ticket_id: string; title: string }>(
      `SELECT ticket_id, title FROM test_open_tickets WHERE tenant_id = $1 ORDER BY ticket_id`,
      [tenant],
      'test',
    );

  beforeAll(async () => {
    db = await createTestDatabase(mode);
    app = await openApp(mode, db);
    store = app.get(EventStoreService);
    database = app.get(EventStoreDatabase);
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('applies the store migrations on the database it runs on, the shared DataSource on a server', async () => {
    if (mode === 'server') {
      const shared = app.get<DataSource>(getDataSourceToken());
      expect(database.dataSource).toBe(shared);
      const [row] = await shared.query(`SELECT count(*)::int AS n FROM event_store_migrations`);
      expect(row.n).toBeGreaterThan(1);
    }
    const tables = await database.query<{ name: string }>(`SELECT to_regclass('stored_domain_events')::text AS name`, [], 'test');
    expect(tables[0].name).toBe('stored_domain_events');
  });

  it('appends and reads through the pool it runs on', async () => {
    await store.appendEvents([ticket('t-read', 'TicketCommented', { text: 'hi' })], 'acme');
    const stream = await store.getStream('t-read', 'acme');
    expect(stream.version).toBe(1);
    expect(stream.events[0].occurredAt).toBeInstanceOf(Date);
    expect(stream.events[0].data).toEqual({ text: 'hi' });
  });

  it("shows an inline projection's row right after the append returns", async () => {
    await store.appendEvents(
      [ticket('t-1', 'TicketOpened', { title: 'Printer' }), ticket('t-2', 'TicketOpened', { title: 'Coffee' })],
      'acme',
    );
    expect(await openTickets('acme')).toEqual([
      { ticket_id: 't-1', title: 'Printer' },
      { ticket_id: 't-2', title: 'Coffee' },
    ]);
    await store.appendEvent(ticket('t-1', 'TicketClosed'), 'acme', { expectedVersion: 1 });
    expect(await openTickets('acme')).toEqual([{ ticket_id: 't-2', title: 'Coffee' }]);
  });

  it('rolls the append back when an inline projection throws: no event, stream version unchanged', async () => {
    await store.appendEvent(ticket('t-bad', 'TicketOpened', { title: 'Fine' }), 'globex');
    await expect(
      store.appendEvents([ticket('t-bad', 'TicketClosed', { fail: true }), ticket('t-other', 'TicketOpened', { title: 'Lost' })], 'globex'),
    ).rejects.toMatchObject({
      code: 'INLINE_PROJECTION_FAILED',
      projectionName: 'open-tickets',
    });
    const stream = await store.getStream('t-bad', 'globex');
    expect(stream.version).toBe(1);
    expect(await store.getEventsForAggregate('t-other', 'globex')).toEqual([]);
    expect(await openTickets('globex')).toEqual([{ ticket_id: 't-bad', title: 'Fine' }]);
  });

  it('applies an idempotent retry to the inline projection once', async () => {
    const eventId = '0b6a3c1e-7a8f-4f43-9d7e-5b2f1d9e6c01';
    const event = { ...ticket('t-retry', 'TicketOpened', { title: 'Once' }), eventId };
    const [first] = await store.appendEvents([event], 'initech');
    const [again] = await store.appendEvents([event], 'initech');
    expect(again.globalPosition).toBe(first.globalPosition);
    expect(await openTickets('initech')).toEqual([{ ticket_id: 't-retry', title: 'Once' }]);
  });

  it('still delivers to an async projection, after the append', async () => {
    await store.appendEvent(ticket('t-async', 'TicketOpened', { title: 'Later' }), 'acme');
    const projections = app.get(ProjectionManager);
    expect(projections.names()).toEqual(['ticket-log']);
    await projections.waitUntilCaughtUp('ticket-log');
    const logged = await database.query<{ n: number }>(`SELECT count(*)::int AS n FROM test_ticket_log`, [], 'test');
    const ticketEvents = await database.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM stored_domain_events WHERE aggregate_type = 'Ticket'`,
      [],
      'test',
    );
    expect(logged[0].n).toBe(ticketEvents[0].n);
  });

  it("leaves the application's DataSource open when the store closes", async () => {
    if (mode !== 'server') return;
    await database.close();
    expect(app.get<DataSource>(getDataSourceToken()).isInitialized).toBe(true);
  });

  it('refuses at startup an inline projection with onRedacted, which it would never receive', async () => {
    if (mode !== 'embedded') return;
    const moduleRef = await Test.createTestingModule({
      imports: [EventStoreModule.forRoot({ dataDir: 'memory://' })],
      providers: [InlineRedactionProjection],
    }).compile();
    await expect(moduleRef.init()).rejects.toMatchObject({ code: 'INVALID_SUBSCRIPTION', subscriptionName: 'inline-with-redactions' });
    await moduleRef.close();
  });
});
