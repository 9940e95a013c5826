import { DataSource, MigrationInterface } from 'typeorm';
import { checkRolePrefix } from './database/roles';
import { EVENT_STORE_DEFAULTS as D } from './event-store.defaults';
import { DeliveryOptions, ResolvedDeliveryOptions, resolveDeliveryOptions } from './subscriptions/delivery.options';
import { validateEventStoreOptions } from './validate-event-store-options';

/** Options of `EventStoreModule.forRoot` / `forRootAsync`. */
export interface EventStoreModuleOptions {
  /**
   * A TypeORM DataSource the application already has (e.g. from
   * `TypeOrmModule.forRoot`, injected with `getDataSourceToken()`), PostgreSQL
   * only. The store then shares its pool instead of opening its own, applies
   * its migrations to that database at startup (on a connection of its own,
   * table `event_store_migrations`), never closes it, and can run inline
   * projections in the append's transaction. Not combinable with
   * `databaseUrl`, `dataDir`, `poolSize`, `statementTimeoutMs` or
   * `connectionTimeoutMs`: pool size and timeouts are the DataSource's.
   * With `migrationsUrl` the migrations run as that login instead.
   * See decisions 0016 and 0020.
   */
  dataSource?: DataSource;
  /**
   * `postgres://…` URL of a PostgreSQL server (15 or newer). Absent: the
   * embedded PGlite database under `dataDir`.
   */
  databaseUrl?: string;
  /**
   * `postgres://…` URL of the login that owns the schema, used only to run
   * the migrations at startup; the pool then connects with `databaseUrl` or
   * is the shared `dataSource` (the runtime login, a member of
   * `<rolePrefix>_runtime`). Absent: the migrations run as the pool's login.
   * Ignored by the store's own embedded database.
   * See README "Production roles".
   */
  migrationsUrl?: string;
  /**
   * Prefix of the store's NOLOGIN roles (`<prefix>_tenant`, `_writer`,
   * `_reader`, `_runtime`, `_purge`), so that two applications can share a
   * cluster. A lower-case SQL identifier of at most 41 characters. Changing
   * it after the first migration does not move existing grants.
   * @default 'event_store'
   */
  rolePrefix?: string;
  /**
   * Folder of the embedded database; `memory://` keeps it in memory.
   * @default './.data'
   */
  dataDir?: string;
  /** Connections in the pool. @default 10 */
  poolSize?: number;
  /**
   * Longest a statement may run, in ms (100 to 3,600,000). The server cancels
   * it (PostgreSQL `statement_timeout`, which also bounds lock waits) and the
   * operation fails with StoreUnavailableError, its transaction rolled back.
   * When the database cannot answer at all (a frozen server, a lost network,
   * PGlite busy with another connection's transaction) the client gives up
   * 2 s later and drops the connection. Migrations are not bounded.
   * @default 10000
   */
  statementTimeoutMs?: number;
  /**
   * Longest wait for a connection, in ms (100 to 600,000): opening one, or a
   * free one from the full pool. Past it: StoreUnavailableError.
   * @default 5000
   */
  connectionTimeoutMs?: number;
  /** Apply pending schema migrations at startup. @default true */
  migrationsRun?: boolean;
  /**
   * Refuse to start when stored transaction ids are ahead of the server's
   * (a dump restored into a younger cluster would break gap-safe reading).
   * @default true
   */
  checkTransactionHorizon?: boolean;
  /**
   * Seconds a transaction of this database may hold readers of the global
   * order back (subscriptions, projections, streamEvents, queryEvents) before
   * it is logged and `getHorizonLag()` reports the store stalled.
   * @default 30
   */
  horizonWarningSeconds?: number;
  /** How often the read horizon is checked for a stuck transaction; 0 turns the check off. @default 10000 */
  horizonCheckIntervalMs?: number;
  /** Largest accepted event (payload + metadata, as JSON), in bytes. @default 262144 (256 KiB) */
  maxEventSizeBytes?: number;
  /** Most events accepted by one append. @default 10000 */
  maxEventsPerAppend?: number;
  /**
   * Group commit: append transactions in flight at once from this process.
   * Appends arriving while all are busy wait and then share one transaction
   * and one round trip, each append still succeeding or failing alone.
   * Measured best at 2 on a 2-core host (see bench/). 1 sends one append
   * transaction at a time.
   * @default 2
   */
  appendConcurrency?: number;
  /** Group commit: most appends sharing one transaction (at most 64). @default 32 */
  maxAppendsPerTransaction?: number;
  /**
   * Metadata keys that survive redaction; everything else is removed because
   * it may carry personal data. @default ['correlationId', 'causationId', 'source']
   */
  redactionMetadataAllowList?: string[];
  /** Allow `clearTenantEvents` (tests, tenant off-boarding). @default false */
  allowTenantPurge?: boolean;
  /** Log SQL through TypeORM. @default false */
  logging?: boolean;
  /**
   * The application's own schema migrations (read-model tables of
   * projections, …), run after the store's in the same migrations table.
   * Not to be confused with event migrations (upcasters). @default []
   */
  schemaMigrations?: (new () => MigrationInterface)[];
  /** Subscribers and projections: polling, leases, retries. See DeliveryOptions for defaults. */
  delivery?: DeliveryOptions;
}

/** Options with every default applied. */
export type ResolvedEventStoreOptions = Required<
  Omit<EventStoreModuleOptions, 'databaseUrl' | 'migrationsUrl' | 'dataSource' | 'delivery'>
> &
  Pick<EventStoreModuleOptions, 'databaseUrl' | 'migrationsUrl' | 'dataSource'> & { delivery: ResolvedDeliveryOptions };

/**
 * Checks the options (unknown keys, types, ranges) and applies the defaults.
 * The known keys are those of the resolved options, so an option added there
 * is accepted here without a second list to keep in step.
 * @throws InvalidEventStoreOptionsError naming the first bad option
 */
export function resolveEventStoreOptions(options: EventStoreModuleOptions): ResolvedEventStoreOptions {
  validateEventStoreOptions(options, Object.keys(applyDefaults({})));
  return applyDefaults(options);
}

/** Applies the documented defaults. */
function applyDefaults(options: EventStoreModuleOptions): ResolvedEventStoreOptions {
  return {
    databaseUrl: options.databaseUrl || undefined,
    migrationsUrl: options.migrationsUrl || undefined,
    dataSource: options.dataSource,
    rolePrefix: checkRolePrefix(options.rolePrefix ?? D.rolePrefix),
    dataDir: options.dataDir ?? D.dataDir,
    poolSize: options.poolSize ?? D.poolSize,
    statementTimeoutMs: intInRange('statementTimeoutMs', options.statementTimeoutMs ?? D.statementTimeoutMs, 100, 3_600_000),
    connectionTimeoutMs: intInRange('connectionTimeoutMs', options.connectionTimeoutMs ?? D.connectionTimeoutMs, 100, 600_000),
    migrationsRun: options.migrationsRun ?? D.migrationsRun,
    checkTransactionHorizon: options.checkTransactionHorizon ?? D.checkTransactionHorizon,
    horizonWarningSeconds: positiveNumber('horizonWarningSeconds', options.horizonWarningSeconds ?? D.horizonWarningSeconds),
    horizonCheckIntervalMs: nonNegativeInt('horizonCheckIntervalMs', options.horizonCheckIntervalMs ?? D.horizonCheckIntervalMs),
    maxEventSizeBytes: options.maxEventSizeBytes ?? D.maxEventSizeBytes,
    maxEventsPerAppend: options.maxEventsPerAppend ?? D.maxEventsPerAppend,
    appendConcurrency: positiveInt('appendConcurrency', options.appendConcurrency ?? D.appendConcurrency, 1000),
    maxAppendsPerTransaction: positiveInt('maxAppendsPerTransaction', options.maxAppendsPerTransaction ?? D.maxAppendsPerTransaction, 64),
    redactionMetadataAllowList: options.redactionMetadataAllowList ?? [...D.redactionMetadataAllowList],
    allowTenantPurge: options.allowTenantPurge ?? D.allowTenantPurge,
    logging: options.logging ?? D.logging,
    schemaMigrations: options.schemaMigrations ?? [],
    delivery: resolveDeliveryOptions(options.delivery),
  };
}

function positiveInt(name: string, value: number, max: number): number {
  return intInRange(name, value, 1, max);
}

function intInRange(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max)
    throw new Error(`EventStoreModule option ${name} must be an integer from ${min} to ${max}, got ${String(value)}`);
  return value;
}

function positiveNumber(name: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)
    throw new Error(`EventStoreModule option ${name} must be a positive number, got ${String(value)}`);
  return value;
}

function nonNegativeInt(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`EventStoreModule option ${name} must be a non-negative integer, got ${String(value)}`);
  return value;
}
