import { Logger } from '@nestjs/common';
import { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { ResolvedEventStoreOptions } from '../event-store.options';
import { EVENT_STORE_ENTITIES } from '../entities/entities';
import { eventStoreMigrations } from '../migrations/migrations';
import { EmbeddedPostgres } from './embedded-postgres';
import { isConnectionError, translateDriverError } from './driver-errors';
import { EventStoreRoles, eventStoreRoles } from './roles';
import { assertTransactionHorizon } from './transaction-horizon';
import { EVENT_STORE_PG_TYPES } from './type-parsers';

/** Something that runs parameterized SQL: a QueryRunner inside a transaction, or the DataSource. */
export interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<any>;
}

/**
 * Owns the connection pool (and the embedded PGlite when no URL is given) and
 * runs units of work in the right security context: a tenant transaction under
 * the restricted tenant role with `app.tenant_id` set. Cross-tenant reads are
 * not a context but functions of the reader role (decision 0003), called with
 * `query`. Each unit of work stays on one connection, which PGlite (one
 * transaction at a time) requires.
 */
export class EventStoreDatabase {
  private constructor(
    /** The TypeORM DataSource; hot paths send parameterized SQL through it. */
    readonly dataSource: DataSource,
    /** The embedded database, when running without a server. */
    readonly embedded: EmbeddedPostgres | undefined,
    readonly options: ResolvedEventStoreOptions,
  ) {
    this.roles = eventStoreRoles(options.rolePrefix);
  }

  /** The NOLOGIN roles of this installation (option `rolePrefix`). */
  readonly roles: EventStoreRoles;

  /** Connects (starting PGlite if needed), migrates and checks the transaction horizon. */
  static async open(options: ResolvedEventStoreOptions): Promise<EventStoreDatabase> {
    const embedded = options.databaseUrl ? undefined : await EmbeddedPostgres.start(options.dataDir, options.poolSize);
    const migrations = [...eventStoreMigrations(options.rolePrefix), ...options.migrations];
    // With a separate owner login (migrationsUrl), the runtime pool never runs DDL.
    const ownerUrl = options.databaseUrl ? options.migrationsUrl : undefined;
    const dataSource = createDataSource(options, options.databaseUrl ?? embedded!.url, ownerUrl ? [] : migrations, options.poolSize);
    try {
      if (options.migrationsRun && ownerUrl) await runMigrations(createDataSource(options, ownerUrl, migrations, 1));
      await dataSource.initialize();
    } catch (error) {
      await embedded?.stop();
      throw translateDriverError(error, 'connect');
    }
    const database = new EventStoreDatabase(dataSource, embedded, options);
    try {
      if (options.migrationsRun && !ownerUrl) await runMigrations(dataSource);
      if (options.checkTransactionHorizon) await assertTransactionHorizon({ query: (sql, parameters) => database.query(sql, parameters ?? [], 'checkTransactionHorizon') });
      if (!embedded) await warnIfPrivileged(database);
    } catch (error) {
      await database.close();
      throw error;
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
  runInTenant<T>(tenantId: string, work: (q: QueryRunner) => Promise<T>, operation = 'tenant transaction'): Promise<T> {
    return this.transaction(this.roles.tenant, tenantId, work, operation);
  }

  /**
   * Runs `work` in a transaction with `app.tenant_id` set but under the
   * login's own privileges, for the functions granted to the login's roles
   * and not to the tenant role (the purge). Row-level security still scopes
   * the login (unless it is a superuser) and the functions to the tenant.
   */
  runInTenantAsLogin<T>(tenantId: string, work: (q: QueryRunner) => Promise<T>, operation: string): Promise<T> {
    return this.transaction(undefined, tenantId, work, operation);
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

  private async transaction<T>(role: string | undefined, tenantId: string, work: (q: QueryRunner) => Promise<T>, operation: string): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    let failure: unknown;
    try {
      await runner.connect();
      await runner.startTransaction();
      if (role) await runner.query(`SELECT set_config('role', $1, true), set_config('app.tenant_id', $2, true)`, [role, tenantId]);
      else await runner.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
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

function createDataSource(options: ResolvedEventStoreOptions, url: string, migrations: (new () => MigrationInterface)[], poolSize: number): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: EVENT_STORE_ENTITIES,
    migrations,
    migrationsTableName: 'event_store_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: options.logging,
    poolSize,
    applicationName: 'nest-event-store',
    // Our pool's clients only; other pg users in the process keep pg's defaults.
    extra: { types: EVENT_STORE_PG_TYPES },
  });
}

const logger = new Logger('EventStore');

/** Applies pending migrations; closes the data source first when it was opened for them alone. */
async function runMigrations(dataSource: DataSource): Promise<void> {
  const own = !dataSource.isInitialized;
  if (own) await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    if (applied.length) logger.log(`Applied ${applied.length} migration(s): ${applied.map((m) => m.name).join(', ')}`);
  } finally {
    if (own) await dataSource.destroy();
  }
}

// A superuser or BYPASSRLS login ignores row-level security outside the
// store's own units of work: fine for development, not for production.
const PRIVILEGED_LOGIN_SQL = `SELECT rolsuper OR rolbypassrls AS privileged FROM pg_roles WHERE rolname = session_user`;

let warnedPrivileged = false;

async function warnIfPrivileged(database: EventStoreDatabase): Promise<void> {
  if (warnedPrivileged) return;
  const [row] = await database.query<{ privileged: boolean }>(PRIVILEGED_LOGIN_SQL, [], 'checkLogin');
  if (row?.privileged) {
    warnedPrivileged = true;
    logger.warn(
      `Connected as a superuser or BYPASSRLS login: tenant isolation holds inside the store's units of work only. ` +
        `In production connect as a login granted ${database.roles.runtime} (README, "Production roles").`,
    );
  }
}
