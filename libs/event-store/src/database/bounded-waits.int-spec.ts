import { AddressInfo, Server, Socket, createServer, connect } from 'node:net';
import { Test } from '@nestjs/testing';
import { Client } from 'pg';
import { MigrationInterface, QueryRunner } from 'typeorm';
import { StoreUnavailableError } from '../errors/store-unavailable.error';
import { EventStoreModule } from '../event-store.module';
import { EventStoreService } from '../store/event-store.service';
import { describeEachBackend } from '../testing/describe-each-backend';
import { DatabaseMode } from '../testing/test-database';
import { TestStore, openTestStore } from '../testing/test-store';
import { NewDomainEvent } from '../types/stored-domain-event';

const STATEMENT_TIMEOUT_MS = 400;
// The client gives up 2 s after the statement bound when the server cannot answer.
const CLIENT_BOUND_MS = STATEMENT_TIMEOUT_MS + 2000;
const event = (aggregateId: string, n: number, eventId?: string): NewDomainEvent => ({
  aggregateType: 'Ledger',
  aggregateId,
  eventType: 'Booked',
  data: { n },
  eventId,
});
const ID_A = '6f1c1f7e-0000-4000-8000-00000000000a';
const ID_B = '6f1c1f7e-0000-4000-8000-00000000000b';

/** Settles `promise` and says how long it took. */
async function timed(promise: Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = Date.now();
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  return { error, ms: Date.now() - started };
}

/**
 * Makes the database stop answering the store: on the server, a second
 * session holds an exclusive lock on the event and stream tables; on PGlite,
 * which runs one transaction at a time, an open transaction on one of the
 * store's own connections queues every other one.
 */
async function stallDatabase(t: TestStore, mode: DatabaseMode): Promise<() => Promise<void>> {
  if (mode === 'server') {
    const locker = new Client({ connectionString: t.testDatabase.databaseUrl });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE stored_domain_events, event_store_streams IN ACCESS EXCLUSIVE MODE');
    return async () => {
      await locker.query('ROLLBACK');
      await locker.end();
    };
  }
  // Open the pool's connections first, so that the stalled operation sends its
  // query on an open connection and meets the client's query bound (rather
  // than the connection timeout of a new connection, tested below).
  const warm = await Promise.all(
    [0, 1, 2].map(async () => {
      const r = t.database.dataSource.createQueryRunner();
      await r.connect();
      return r;
    }),
  );
  for (const r of warm) await r.release();
  const runner = t.database.dataSource.createQueryRunner();
  await runner.connect();
  await runner.startTransaction();
  await runner.query('SELECT 1');
  return async () => {
    await runner.rollbackTransaction();
    await runner.release();
  };
}

describeEachBackend('bounded waits', (mode) => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore(mode, { statementTimeoutMs: STATEMENT_TIMEOUT_MS, connectionTimeoutMs: 300, poolSize: 3 });
    await t.store.appendEvents([event('ledger-1', 1)], 'acme');
  });
  afterAll(() => t?.close());

  // The server cancels at the statement bound; PGlite cannot (it does not
  // enforce statement_timeout), so there the client's bound answers.
  const bound = mode === 'server' ? STATEMENT_TIMEOUT_MS : CLIENT_BOUND_MS;

  it('rejects an append the database does not answer with StoreUnavailableError within the bound, and writes nothing or all of it', async () => {
    const append = () => t.store.appendEvents([event('ledger-2', 1, ID_A), event('ledger-1', 2, ID_B)], 'acme');
    const restore = await stallDatabase(t, mode);
    let outcome;
    try {
      outcome = await timed(append());
    } finally {
      await restore();
    }
    expect(outcome.error).toBeInstanceOf(StoreUnavailableError);
    expect(outcome.error).toMatchObject({ code: 'STORE_UNAVAILABLE', retryAfterSeconds: 1 });
    expect(outcome.ms).toBeGreaterThanOrEqual(bound - 50);
    expect(outcome.ms).toBeLessThan(bound + 1500);

    const ledger1 = async () => (await t.store.getEventsForAggregate('ledger-1', 'acme')).map((e) => e.data);
    const ledger2 = async () => (await t.store.getEventsForAggregate('ledger-2', 'acme')).map((e) => e.data);
    if (mode === 'server') {
      // The server cancelled the statement: nothing was written.
      // The driver's error, wrapped by TypeORM or not (single statements go to the pool directly).
      const cause = (outcome.error as Error).cause as { code?: string; driverError?: { code?: string } };
      expect(cause.driverError?.code ?? cause.code).toBe('57014');
      expect(await ledger1()).toEqual([{ n: 1 }]);
      expect(await ledger2()).toEqual([]);
    } else {
      // PGlite cannot cancel: the client gave up, and the queued append may
      // still run once the database is free. Never half of it.
      const written = (await ledger2()).length === 1;
      expect(await ledger1()).toEqual(written ? [{ n: 1 }, { n: 2 }] : [{ n: 1 }]);
    }
    // Retrying with the same event ids is safe either way, and the store works again.
    await append();
    expect(await ledger1()).toEqual([{ n: 1 }, { n: 2 }]);
    expect(await ledger2()).toEqual([{ n: 1 }]);
  });

  it('rejects a read the database does not answer with StoreUnavailableError within the bound', async () => {
    const restore = await stallDatabase(t, mode);
    let outcome;
    try {
      outcome = await timed(t.store.getEventsForAggregate('ledger-1', 'acme'));
    } finally {
      await restore();
    }
    expect(outcome.error).toBeInstanceOf(StoreUnavailableError);
    expect(outcome.ms).toBeGreaterThanOrEqual(bound - 50);
    expect(outcome.ms).toBeLessThan(bound + 1500);
    expect(await t.store.getEventsForAggregate('ledger-1', 'acme')).toHaveLength(2);
  });

  it('rejects with StoreUnavailableError when no pooled connection frees up within the connection timeout', async () => {
    // Take every connection of the pool (3), idle but checked out.
    const held: QueryRunner[] = [];
    for (let i = 0; i < 3; i++) {
      const runner = t.database.dataSource.createQueryRunner();
      await runner.connect();
      held.push(runner);
    }
    let outcome;
    try {
      outcome = await timed(t.store.appendEvents([event('ledger-3', 1)], 'acme'));
    } finally {
      for (const runner of held) await runner.release();
    }
    expect(outcome.error).toBeInstanceOf(StoreUnavailableError);
    expect(outcome.ms).toBeGreaterThanOrEqual(250);
    expect(outcome.ms).toBeLessThan(1500);
    expect(await t.store.getEventsForAggregate('ledger-3', 'acme')).toEqual([]);
  });
});

/**
 * A TCP relay to the test server that can stop relaying, as a frozen server
 * (SIGSTOP) or a silent network would: connections stay open, nothing answers.
 */
async function startFreezableRelay(target: URL): Promise<{ url: string; freeze(on: boolean): void; close(): Promise<void> }> {
  let frozen = false;
  const sockets: Socket[] = [];
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    sockets.push(client, upstream);
    const relay = (from: Socket, to: Socket) => from.on('data', (chunk) => void (frozen || to.write(chunk)));
    relay(client, upstream);
    relay(upstream, client);
    const end = () => [client, upstream].forEach((s) => s.destroy());
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(target);
  url.host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: url.toString(),
    freeze: (on) => void (frozen = on),
    close: async () => {
      sockets.forEach((s) => s.destroy());
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describeEachBackend(
  'bounded waits on the server',
  (mode) => {
    let t: TestStore;
    afterAll(() => t?.close());

    class SlowMigration1764100000999 implements MigrationInterface {
      async up(q: QueryRunner): Promise<void> {
        await q.query('SELECT pg_sleep(0.5)');
      }
      async down(): Promise<void> {}
    }

    it('runs migrations longer than the statement bound', async () => {
      t = await openTestStore(mode, { statementTimeoutMs: 200, schemaMigrations: [SlowMigration1764100000999] });
      await t.store.ping();
    });

    it('cancels a statement at the statement bound on the server (pg_sleep) with StoreUnavailableError', async () => {
      const outcome = await timed(t.database.runInTenant('acme', (q) => q.query('SELECT pg_sleep(5)'), 'sleep'));
      expect(outcome.error).toBeInstanceOf(StoreUnavailableError);
      expect(outcome.ms).toBeLessThan(1500);
      await t.store.ping();
    });

    it('answers StoreUnavailableError within the client bound when the server stops answering, and recovers', async () => {
      const relay = await startFreezableRelay(new URL(t.testDatabase.databaseUrl!));
      const app = await (
        await Test.createTestingModule({
          imports: [
            EventStoreModule.forRoot({
              databaseUrl: relay.url,
              statementTimeoutMs: 300,
              connectionTimeoutMs: 300,
              migrationsRun: false,
              poolSize: 2,
            }),
          ],
        }).compile()
      ).init();
      try {
        const store = app.get(EventStoreService);
        await store.ping();
        relay.freeze(true);
        const outcome = await timed(store.appendEvents([event('frozen-1', 1)], 'acme'));
        expect(outcome.error).toBeInstanceOf(StoreUnavailableError);
        // statement bound + 2 s: the server cannot cancel anything while frozen.
        expect(outcome.ms).toBeGreaterThanOrEqual(300 + 2000 - 50);
        expect(outcome.ms).toBeLessThan(300 + 2000 + 1500);
        relay.freeze(false);
        // The stuck connection was dropped: the next operations get fresh ones.
        await store.ping();
        await store.appendEvents([event('frozen-2', 1)], 'acme');
        // Whether frozen-1 was written is unknown to the client, as after a
        // real SIGSTOP (the server may run the statement once it wakes): a
        // retry with the same event ids is the answer (idempotent appends).
      } finally {
        await app.close();
        await relay.close();
      }
    });
  },
  ['server'],
);
