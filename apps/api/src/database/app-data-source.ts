import { DataSource, DataSourceOptions } from 'typeorm';
import { EVENT_STORE_DEFAULTS, EmbeddedPostgres, explainDatabaseStartupError } from '@nest-event-store/core';
import { AppConfig } from '../config/app-config';

type PostgresOptions = Extract<DataSourceOptions, { type: 'postgres' }>;

// How much longer than the statement timeout the client waits for an answer
// (the store's own pool uses the same grace): the server's cancel comes first.
const CLIENT_GRACE_MS = 2000;

/**
 * The app's DataSource options: PostgreSQL at DATABASE_URL (or, embedded,
 * the URL filled in by createAppDataSource), the store's pool size and
 * bounds (DATABASE_STATEMENT_TIMEOUT_MS, DATABASE_CONNECTION_TIMEOUT_MS,
 * else the library's defaults), no schema changes: the schema comes from
 * migrations only, which the store runs at startup.
 */
export function appDataSourceOptions(config: AppConfig): PostgresOptions {
  const statementTimeoutMs = config.statementTimeoutMs ?? EVENT_STORE_DEFAULTS.statementTimeoutMs;
  return {
    type: 'postgres',
    url: config.databaseUrl,
    applicationName: 'nest-event-store',
    poolSize: EVENT_STORE_DEFAULTS.poolSize,
    connectTimeoutMS: config.connectionTimeoutMs ?? EVENT_STORE_DEFAULTS.connectionTimeoutMs,
    // pipeline: the store's tenant reads take one round trip as plain statements (decision 0028).
    extra: { statement_timeout: statementTimeoutMs, query_timeout: statementTimeoutMs + CLIENT_GRACE_MS, pipeline: true },
    synchronize: false,
    migrationsRun: false,
  };
}

/** A DataSource on the embedded database that stops it once destroyed (TypeOrmModule destroys it on shutdown). */
class EmbeddedDataSource extends DataSource {
  constructor(
    options: DataSourceOptions,
    private readonly embedded: EmbeddedPostgres,
  ) {
    super(options);
  }

  override async destroy(): Promise<void> {
    try {
      await super.destroy();
    } finally {
      await this.embedded.stop();
    }
  }
}

/**
 * TypeOrmModule's `dataSourceFactory`: without DATABASE_URL it starts the
 * embedded PGlite in DATA_DIR first (DataDirLockedError when another process
 * has it) and connects to it. It initializes the DataSource itself so that a
 * server that cannot be reached fails as the store would: a
 * DatabaseStartupError naming host and database.
 */
export async function createAppDataSource(options: PostgresOptions, config: AppConfig): Promise<DataSource> {
  if (config.databaseUrl) {
    const dataSource = new DataSource(options);
    try {
      return await dataSource.initialize();
    } catch (error) {
      throw explainDatabaseStartupError(error, config.databaseUrl) ?? error;
    }
  }
  // One connection more than the pool: the store migrates on a connection of its own.
  const embedded = await EmbeddedPostgres.start(config.embeddedDataDir, (options.poolSize ?? EVENT_STORE_DEFAULTS.poolSize) + 1);
  const dataSource = new EmbeddedDataSource({ ...options, url: embedded.url }, embedded);
  try {
    return await dataSource.initialize();
  } catch (error) {
    await embedded.stop();
    throw error;
  }
}
