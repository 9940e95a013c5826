import { DataSource, DataSourceOptions, QueryRunner } from 'typeorm';
import { InvalidEventStoreOptionsError } from '../errors/invalid-options.error';
import { ResolvedEventStoreOptions } from '../event-store.options';
import { dataSourceOptions, migrate, migrationOnlyOptions, runMigrations } from './migration-connection';
import { EmbeddedPostgres } from './embedded-postgres';
import { isConnectionError, translateDriverError } from './driver-errors';
import { explainStartupError } from './startup-errors';
import { EventStoreRoles, eventStoreRoles } from './roles';
import { assertTransactionHorizon } from './transaction-horizon';
import { EVENT_STORE_PG_TYPES } from './type-parsers';
import { CallbackPool, queryOnPool } from './direct-query';
import { Statement, poolPipelines, queryInTransactionPipelined } from './pipelined-query';
import { warnIfPrivileged } from './privileged-login';
import { Queryable } from './queryable';
import { releaseRunner } from './release-runner';

type PostgresConnectionOptions = Extract<DataSourceOptions, { type: 'postgres' }>;

// Kept importable from here for the modules that take it with EventStoreDatabase.
export type { Queryable } from './queryable';

/**
 * How much longer than the statement timeout the client waits for an answer.
 * The server's own cancel (a clean rollback) normally comes first; the client
 * bound only fires when the server cannot answer at all.
 */
const CLIENT_GRACE_MS = 2000;

/**
 * Owns the connection pool (and the embedded PGlite when no URL is given) and
 * runs units of work in the right security context: a tenant transaction under
 * the restricted tenant role with `app.tenant_id` set, or a system transaction
 * under the cross-tenant reader role. Each unit of work stays on one
 * connection, which PGlite (one transaction at a time) requires.
 */
export class EventStoreDatabase {
  private constructor(
    /** The TypeORM DataSource; hot paths send parameterized SQL through it. */
    readonly dataSource: DataSource,
    /** The embedded database, when running without a server. */
    readonly embedded: EmbeddedPostgres | undefined,
    readonly options: ResolvedEventStoreOptions,
    /** False for the application's DataSource (option `dataSource`), which the store never closes. */
    readonly ownsDataSource = true,
    /** True when the application's DataSource is connected to an EmbeddedPostgres of this process. */
    private readonly sharesEmbedded = false,
  ) {
    this.roles = eventStoreRoles(options.rolePrefix);
  }

  /** The NOLOGIN roles of this installation (option `rolePrefix`). */
  readonly roles: EventStoreRoles;

  /**
   * Starts PGlite if needed, migrates on a connection of its own (migrations
   * may legitimately run longer than any statement bound), then connects the
   * bounded pool and checks the transaction horizon.
   */
  static async open(options: ResolvedEventStoreOptions): Promise<EventStoreDatabase> {
    if (options.dataSource) return this.openShared(options.dataSource, options);
    const embedded = options.databaseUrl ? undefined : await EmbeddedPostgres.start(options.dataDir, options.poolSize);
    const url = options.databaseUrl ?? embedded!.url;
    // With a separate owner login (migrationsUrl) the runtime pool never runs DDL.
    const ownerUrl = (options.databaseUrl && options.migrationsUrl) || url;
    try {
      if (options.migrationsRun) await migrate(ownerUrl, options);
    } catch (error) {
      await embedded?.stop();
      throw explainStartupError(error, options.databaseUrl ? ownerUrl : undefined) ?? translateDriverError(error, 'migrate');
    }
    const dataSource = new DataSource({
      ...dataSourceOptions(url, options),
      poolSize: options.poolSize,
      // Our pool's clients only; other pg users in the process keep pg's defaults.
      // Every statement of the pool is bounded: by the server, and by the
      // client when the server cannot answer (see statementTimeoutMs).
      extra: {
        types: EVENT_STORE_PG_TYPES,
        statement_timeout: options.statementTimeoutMs,
        query_timeout: options.statementTimeoutMs + CLIENT_GRACE_MS,
        // One round trip for a tenant transaction of one statement (queryInTenant, decision 0028).
        pipeline: true,
      },
    });
    try {
      await dataSource.initialize();
    } catch (error) {
      await embedded?.stop();
      throw explainStartupError(error, options.databaseUrl) ?? translateDriverError(error, 'connect');
    }
    const database = new EventStoreDatabase(dataSource, embedded, options);
    try {
      if (options.checkTransactionHorizon) await assertTransactionHorizon(statements(database, 'checkTransactionHorizon'));
      if (!embedded) await warnIfPrivileged(statements(database, 'checkLogin'), database.roles.runtime);
    } catch (error) {
      await database.close();
      throw explainStartupError(error, options.databaseUrl) ?? error;
    }
    return database;
  }

  /**
   * Runs on the application's DataSource (decision 0016): its pool, its
   * timeouts and pg's default type parsers. The migrations still run on a
   * connection of their own, opened with `migrationsUrl` (the schema owner)
   * or else the DataSource's connection options, with the store's migration
   * list and table, so that the application's migrations and entities are
   * left alone.
   */
  private static async openShared(shared: DataSource, options: ResolvedEventStoreOptions): Promise<EventStoreDatabase> {
    if (!shared.isInitialized)
      throw new InvalidEventStoreOptionsError(
        'dataSource',
        'must be initialized before the store starts (TypeOrmModule.forRoot does that; inject it with getDataSourceToken())',
      );
    const connection = shared.options as PostgresConnectionOptions;
    try {
      // Migrations are not bounded (as on the store's own database): the app's pool timeouts stay off this connection.
      const extra = { ...(connection.extra as object | undefined), statement_timeout: undefined, query_timeout: undefined };
      if (options.migrationsRun && options.migrationsUrl) await migrate(options.migrationsUrl, options);
      else if (options.migrationsRun)
        await runMigrations(new DataSource({ ...connection, ...migrationOnlyOptions(options), poolSize: 1, extra }));
    } catch (error) {
      throw explainStartupError(error, options.migrationsUrl) ?? translateDriverError(error, 'migrate');
    }
    const embedded = EmbeddedPostgres.serves(connection.url);
    const database = new EventStoreDatabase(shared, undefined, options, false, embedded);
    if (options.checkTransactionHorizon) await assertTransactionHorizon(statements(database, 'checkTransactionHorizon'));
    if (!embedded) await warnIfPrivileged(statements(database, 'checkLogin'), database.roles.runtime);
    return database;
  }

  /** True when running on the embedded PGlite database. */
  get isEmbedded(): boolean {
    return this.embedded !== undefined || this.sharesEmbedded;
  }

  /**
   * Runs `work` in a transaction bound to one tenant: under the restricted
   * tenant role, so row-level security applies even when the pool connects as
   * a superuser, with `app.tenant_id` set for the transaction only.
   */
  runInTenant<T>(tenantId: string, work: (q: QueryRunner) => Promise<T>, operation = 'tenant transaction'): Promise<T> {
    return this.transaction(work, operation, this.roles.tenant, tenantId);
  }

  /**
   * Runs `work` in a transaction with `app.tenant_id` set but under the
   * login's own privileges, for the functions granted to the login's roles
   * and not to the tenant role (the purge, the appends of redaction markers).
   * Row-level security still scopes the login (unless it is a superuser) and
   * the functions to the tenant.
   */
  runInTenantAsLogin<T>(tenantId: string, work: (q: QueryRunner) => Promise<T>, operation: string): Promise<T> {
    return this.transaction(work, operation, undefined, tenantId);
  }

  /**
   * Runs `work` in a transaction as the connecting login, outside any tenant:
   * for the tables the login owns (subscription checkpoints, dead letters,
   * the applications' read models) and for catalog checks. Event tables are
   * not read this way: row-level security shows them empty outside a tenant.
   */
  runAsLogin<T>(work: (q: QueryRunner) => Promise<T>, operation: string): Promise<T> {
    return this.transaction(work, operation);
  }

  /**
   * True when a tenant transaction of one statement costs one round trip
   * (queryInTenant): the pool's clients pipeline. The store's own pool does;
   * an application's DataSource does when its `extra` says `pipeline: true`
   * (decision 0028). Otherwise readers call the store's one-round-trip SQL
   * functions instead.
   */
  get pipelinesTenantReads(): boolean {
    return !this.options.logging && poolPipelines(this.pool);
  }

  /**
   * One statement in a tenant transaction, as runInTenant runs it (tenant
   * role, `app.tenant_id`, and `settings` for this transaction only, such as
   * planner settings), with BEGIN, the context, the statement and COMMIT
   * pipelined into one round trip. Only when pipelinesTenantReads.
   */
  async queryInTenant<T>(tenantId: string, statement: Statement, operation: string, settings: Record<string, string> = {}): Promise<T[]> {
    const names = Object.keys(settings);
    const setup: Statement = {
      text:
        `SELECT set_config('role', $1, true), set_config('app.tenant_id', $2, true)` +
        names.map((_, i) => `, set_config($${3 + 2 * i}, $${4 + 2 * i}, true)`).join(''),
      values: [this.roles.tenant, tenantId, ...names.flatMap((name) => [name, settings[name]])],
    };
    try {
      return await queryInTransactionPipelined<T>(this.pool as never, setup, statement);
    } catch (error) {
      throw translateDriverError(error, operation);
    }
  }

  /** The driver's pool (pg), under TypeORM. */
  private get pool(): unknown {
    return (this.dataSource.driver as unknown as { master?: unknown }).master;
  }

  /** False once the pool is closed (the store shutting down). */
  get isOpen(): boolean {
    return this.dataSource.isInitialized;
  }

  /**
   * One autocommit statement (used by operations that are a single SQL
   * function call): on the driver's pool directly, or through a TypeORM
   * QueryRunner when the option `logging` asks TypeORM to log queries.
   * rowMode 'array': each row an array of its columns in select order.
   */
  async query<T = any>(sql: string, parameters: unknown[], operation: string, rowMode?: 'array'): Promise<T[]> {
    if (!this.options.logging) {
      const pool = this.pool as CallbackPool | undefined;
      if (pool) {
        try {
          return await queryOnPool<T>(pool, sql, parameters, rowMode);
        } catch (error) {
          throw translateDriverError(error, operation);
        }
      }
    }
    const runner = this.dataSource.createQueryRunner();
    let failure: unknown;
    try {
      const rows: T[] = await runner.query(sql, parameters);
      // pg builds each row object's keys in column order.
      return rowMode === 'array' ? (rows.map((row) => Object.values(row as object)) as T[]) : rows;
    } catch (error) {
      failure = error;
      throw translateDriverError(error, operation);
    } finally {
      await releaseRunner(runner, failure);
    }
  }

  /** Closes the pool (unless it is the application's) and the embedded database. */
  async close(): Promise<void> {
    if (this.ownsDataSource && this.dataSource.isInitialized) await this.dataSource.destroy();
    await this.embedded?.stop();
  }

  /**
   * The store's one transaction primitive: `work` on one pooled connection
   * (PGlite runs one transaction at a time), under `role` and with
   * `app.tenant_id` for the transaction only when given. Rolls back on
   * failure, unless the connection itself failed; a driver error becomes the
   * store's typed error; a broken connection is discarded, not pooled.
   */
  private async transaction<T>(work: (q: QueryRunner) => Promise<T>, operation: string, role?: string, tenantId?: string): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    let failure: unknown;
    try {
      await runner.connect();
      await runner.startTransaction();
      if (role) await runner.query(`SELECT set_config('role', $1, true), set_config('app.tenant_id', $2, true)`, [role, tenantId]);
      else if (tenantId !== undefined) await runner.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
      const result = await work(runner);
      await runner.commitTransaction();
      return result;
    } catch (error) {
      failure = error;
      if (runner.isTransactionActive && !isConnectionError(error)) await runner.rollbackTransaction().catch(() => undefined);
      throw translateDriverError(error, operation);
    } finally {
      await releaseRunner(runner, failure);
    }
  }
}

/** The database's autocommit statements as a Queryable, each failure translated as `operation`. */
function statements(database: EventStoreDatabase, operation: string): Queryable {
  return { query: (sql, parameters) => database.query(sql, parameters ?? [], operation) };
}
