import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { Test } from '@nestjs/testing';
import { DatabaseStartupError } from '../errors/database-startup.error';
import { EventStoreModule } from '../event-store.module';
import { TEST_SERVER_URL, describeEachBackend } from '../testing';
import { withServerAdmin } from '../testing/test-database';

async function start(databaseUrl: string): Promise<unknown> {
  const moduleRef = await Test.createTestingModule({ imports: [EventStoreModule.forRoot({ databaseUrl })] })
    .compile()
    .then(
      (ref) => ref,
      (error: unknown) => error,
    );
  if (moduleRef instanceof Error) return moduleRef;
  await (moduleRef as { close(): Promise<void> }).close();
  throw new Error(`the store started on ${databaseUrl}`);
}

function urlFor(database: string, user?: string): string {
  const url = new URL(TEST_SERVER_URL);
  url.pathname = `/${database}`;
  if (user) url.username = user;
  return url.toString();
}

const admin = withServerAdmin;

// Server-only: these are the errors of a first start against a PostgreSQL server.
describeEachBackend(
  'startup errors on a server',
  () => {
    it('rejects an unreachable server with DatabaseStartupError naming host, port and database and what to check', async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const { port } = closed.address() as { port: number };
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      const error = await start(`postgres://root@127.0.0.1:${port}/orders`);
      expect(error).toBeInstanceOf(DatabaseStartupError);
      expect(error).toMatchObject({ code: 'DATABASE_UNREACHABLE', target: { host: '127.0.0.1', port, database: 'orders' } });
      expect((error as Error).message).toMatch(
        new RegExp(
          `^Cannot reach the PostgreSQL server at 127\\.0\\.0\\.1:${port} \\(database 'orders'\\)\\. Check that PostgreSQL is running`,
        ),
      );
    });

    it('rejects a database that does not exist with DatabaseStartupError saying how to create it', async () => {
      const database = `es_missing_${randomUUID().slice(0, 8)}`;
      const error = await start(urlFor(database));
      expect(error).toMatchObject({ name: 'DatabaseStartupError', code: 'DATABASE_NOT_FOUND', target: { database } });
      expect((error as Error).message).toContain(`Database '${database}' does not exist on the PostgreSQL server at`);
      expect((error as Error).message).toContain(`createdb`);
    });

    it('rejects a user without CREATEROLE with DatabaseStartupError naming the user, the database and the GRANTs a DBA can run', async () => {
      // A login of its own (roles are cluster-wide), owning a fresh database, without CREATEROLE.
      const suffix = randomUUID().slice(0, 8);
      const user = `es_nocreaterole_${suffix}`;
      const database = `es_nocreaterole_${suffix}`;
      await admin(async (client) => {
        await client.query(`CREATE ROLE ${user} LOGIN NOCREATEROLE NOSUPERUSER`);
        await client.query(`CREATE DATABASE ${database} OWNER ${user}`);
      });
      try {
        const error = await start(urlFor(database, user));
        expect(error).toMatchObject({ name: 'DatabaseStartupError', code: 'DATABASE_PERMISSION_DENIED', target: { database, user } });
        const message = (error as Error).message;
        expect(message).toContain(`User '${user}' may not create or grant the event store's roles in database '${database}'`);
        expect(message).toContain(`ALTER ROLE ${user} CREATEROLE`);
        expect(message).toContain('have a DBA create the roles beforehand (README, "Production roles")');
      } finally {
        await admin(async (client) => {
          await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
          await client.query(`DROP ROLE IF EXISTS ${user}`);
        });
      }
    });
  },
  ['server'],
);
