import { Logger } from '@nestjs/common';
import { DataSource, QueryRunner } from 'typeorm';
import { ResolvedEventStoreOptions } from '../event-store.options';
import { EVENT_STORE_ENTITIES } from '../entities/entities';
import { EVENT_STORE_MIGRATIONS } from '../migrations/migrations';
import { EmbeddedPostgres } from './embedded-postgres';
import { isConnectionError, translateDriverError } from './driver-errors';
import { explainStartupError } from './startup-errors';
import { SYSTEM_ROLE, TENANT_ROLE } from './roles';
import { assertTransactionHorizon } from './transaction-horizon';
import { EVENT_STORE_PG_TYPES } from './type-parsers';

/** Something that runs parameterized SQL: a QueryRunner inside a transaction, or the DataSource. */
export interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<any>;
}

/** Per-transaction switches honoured by the append-only trigger. */
export type GuardSwitch = 'event_store.redaction' | 'event_store.purge';

/**
 * Owns the connection pool (and the embedded PGlite when no URL is given) and
 * runs units of work in the right security context: a tenant transaction under
 * the restricted tenant role with `app.tenant_id` set, or a system transaction
 * under the cross-tenant reader role. Each unit of work stays on one
 * connection, which PGlite (one transaction at a time) requires.
 */
export class EventStoreDatabase {
  private static readonly logger = new Logger('EventStore');

  private constructor(
    /** The TypeORM DataSource; hot paths send parameterized SQL through it. */
    readonly dataSource: DataSource,
    /** The embedded database, when running without a server. */
    readonly embedded: EmbeddedPostgres | undefined,
    readonly options: ResolvedEventStoreOptions,
  ) {}

  /** Connects (starting PGlite if needed), migrates and checks the transaction horizon. */
  static async open(options: ResolvedEventStoreOptions): Promise<EventStoreDatabase> {
    const embedded = options.databaseUrl ? undefined : await EmbeddedPostgres.start(options.dataDir, options.poolSize);
    const dataSource = new DataSource({
      type: 'postgres',
      url: options.databaseUrl ?? embedded!.url,
      entities: EVENT_STORE_ENTITIES,
      migrations: [...EVENT_STORE_MIGRATIONS, ...options.migrations],
      migrationsTableName: 'event_store_migrations',
      migrationsTransactionMode: 'each',
      synchronize: false,
      logging: options.logging,
      poolSize: options.poolSize,
      applicationName: 'nest-event-store',
      // Our pool's clients only; other pg users in the process keep pg's defaults.
      extra: { types: EVENT_STORE_PG_TYPES },
    });
    try {
      await dataSource.initialize();
    } catch (error) {
      await embedded?.stop();
      throw explainStartupError(error, options.databaseUrl) ?? translateDriverError(error, 'connect');
    }
    const database = new EventStoreDatabase(dataSource, embedded, options);
    try {
      if (options.migrationsRun) {
        const applied = await dataSource.runMigrations({ transaction: 'each' });
        if (applied.length) this.logger.log(`Applied ${applied.length} migration(s): ${applied.map((m) => m.name).join(', ')}`);
      }
      if (options.checkTransactionHorizon) await database.runAsSystem((q) => assertTransactionHorizon(q));
    } catch (error) {
      await database.close();
      throw explainStartupError(error, options.databaseUrl) ?? error;
    }
    return database;
  }

  /** True when running on the embedded PGlite database. */
  get isEmbedded(): boolean {
    return this.embedded !== undefined;
  }

  /**
   * Runs `work` in a transaction bound to one tenant: under the restricted
   * tenant role, so row-level security applies even when the pool connects as
   * a superuser, with `app.tenant_id` set for the transaction only.
   */
  runInTenant<T>(tenantId: string, work: (q: QueryRunner) => Promise<T>, operation = 'tenant transaction', switches: GuardSwitch[] = []): Promise<T> {
    return this.transaction(TENANT_ROLE, tenantId, work, operation, switches);
  }

  /** Runs `work` in a transaction under the cross-tenant, read-only system role. */
  runAsSystem<T>(work: (q: QueryRunner) => Promise<T>, operation = 'system transaction'): Promise<T> {
    return this.transaction(SYSTEM_ROLE, '', work, operation, []);
  }

  /** One autocommit statement (used by operations that are a single SQL function call). */
  async query<T = any>(sql: string, parameters: unknown[], operation: string): Promise<T[]> {
    const runner = this.dataSource.createQueryRunner();
    let failure: unknown;
    try {
      return await runner.query(sql, parameters);
    } catch (error) {
      failure = error;
      throw translateDriverError(error, operation);
    } finally {
      await release(runner, failure);
    }
  }

  /** Closes the pool and the embedded database. */
  async close(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    await this.embedded?.stop();
  }

  private async transaction<T>(role: string, tenantId: string, work: (q: QueryRunner) => Promise<T>, operation: string, switches: GuardSwitch[]): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    let failure: unknown;
    try {
      await runner.connect();
      await runner.startTransaction();
      await runner.query(
        `SELECT set_config('role', $1, true), set_config('app.tenant_id', $2, true)${switches.map((_, i) => `, set_config($${i + 3}, 'on', true)`).join('')}`,
        [role, tenantId, ...switches],
      );
      const result = await work(runner);
      await runner.commitTransaction();
      return result;
    } catch (error) {
      failure = error;
      if (runner.isTransactionActive && !isConnectionError(error)) await runner.rollbackTransaction().catch(() => undefined);
      throw translateDriverError(error, operation);
    } finally {
      await release(runner, failure);
    }
  }
}

/**
 * Returns the runner's connection to the pool, or discards it after a
 * connection-level error. A backend terminated mid-query (57P01) fails the
 * query before its socket closes; released normally, the pool would hand the
 * dying connection to the next unit of work, which then fails too. Releasing
 * with the error is pg-pool's way to drop it; TypeORM does the same on a
 * connection 'error' event, through this (non-public) method.
 */
async function release(runner: QueryRunner, failure: unknown): Promise<void> {
  const postgres = runner as unknown as { releasePostgresConnection?: (error?: unknown) => Promise<void> };
  const broken = failure !== undefined && isConnectionError(failure);
  const done = broken && postgres.releasePostgresConnection ? postgres.releasePostgresConnection(failure) : runner.release();
  await Promise.resolve(done).catch(() => undefined);
}
