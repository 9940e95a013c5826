import { MigrationInterface } from 'typeorm';
import { DeliveryOptions } from './subscriptions/delivery.options';
import { validateEventStoreOptions } from './validate-event-store-options';

/** Options of `EventStoreModule.forRoot` / `forRootAsync`. */
export interface EventStoreModuleOptions {
  /**
   * `postgres://…` URL of a PostgreSQL server (15 or newer). Absent: the
   * embedded PGlite database under `dataDir`.
   */
  databaseUrl?: string;
  /**
   * Folder of the embedded database; `memory://` keeps it in memory.
   * @default './.data'
   */
  dataDir?: string;
  /** Connections in the pool. @default 10 */
  poolSize?: number;
  /** Apply pending schema migrations at startup. @default true */
  migrationsRun?: boolean;
  /**
   * Refuse to start when stored transaction ids are ahead of the server's
   * (a dump restored into a younger cluster would break gap-safe reading).
   * @default true
   */
  checkTransactionHorizon?: boolean;
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
   * The application's own migrations (read-model tables of projections, …),
   * run after the store's in the same migrations table. @default []
   */
  migrations?: (new () => MigrationInterface)[];
  /** Subscribers and projections: polling, leases, retries. See DeliveryOptions for defaults. */
  delivery?: DeliveryOptions;
}

/** Options with every default applied. */
export type ResolvedEventStoreOptions = Required<Omit<EventStoreModuleOptions, 'databaseUrl'>> &
  Pick<EventStoreModuleOptions, 'databaseUrl'>;

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
    dataDir: options.dataDir ?? './.data',
    poolSize: options.poolSize ?? 10,
    migrationsRun: options.migrationsRun ?? true,
    checkTransactionHorizon: options.checkTransactionHorizon ?? true,
    maxEventSizeBytes: options.maxEventSizeBytes ?? 256 * 1024,
    maxEventsPerAppend: options.maxEventsPerAppend ?? 10_000,
    appendConcurrency: positiveInt('appendConcurrency', options.appendConcurrency ?? 2, 1000),
    maxAppendsPerTransaction: positiveInt('maxAppendsPerTransaction', options.maxAppendsPerTransaction ?? 32, 64),
    redactionMetadataAllowList: options.redactionMetadataAllowList ?? ['correlationId', 'causationId', 'source'],
    allowTenantPurge: options.allowTenantPurge ?? false,
    logging: options.logging ?? false,
    migrations: options.migrations ?? [],
    delivery: options.delivery ?? {},
  };
}

function positiveInt(name: string, value: number, max: number): number {
  if (!Number.isInteger(value) || value < 1 || value > max) throw new Error(`EventStoreModule option ${name} must be an integer from 1 to ${max}, got ${String(value)}`);
  return value;
}
