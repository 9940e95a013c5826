import { InvalidEventStoreOptionsError } from './errors/invalid-options.error';

type Check = (path: string, value: unknown) => void;

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** An integer in [min, max]; the bounds are what the store can honour, not taste. */
export function integerIn(min: number, max: number): Check {
  return (path, value) => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw new InvalidEventStoreOptionsError(path, `must be an integer from ${min} to ${max}, got ${describe(value)}`);
    }
  };
}

const boolean: Check = (path, value) => {
  if (typeof value !== 'boolean') throw new InvalidEventStoreOptionsError(path, `must be true or false, got ${describe(value)}`);
};

const nonEmptyString: Check = (path, value) => {
  if (typeof value !== 'string' || value.trim() === '')
    throw new InvalidEventStoreOptionsError(path, `must be a non-empty string, got ${describe(value)}`);
};

const databaseUrl: Check = (path, value) => {
  if (value === undefined || value === '') return; // unset: the embedded database
  if (typeof value !== 'string') throw new InvalidEventStoreOptionsError(path, `must be a postgres:// URL, got ${describe(value)}`);
  let protocol: string;
  try {
    protocol = new URL(value).protocol;
  } catch {
    throw new InvalidEventStoreOptionsError(
      path,
      'must be a postgres://user:password@host:5432/database URL, got a string that is not a URL',
    );
  }
  if (protocol !== 'postgres:' && protocol !== 'postgresql:') {
    throw new InvalidEventStoreOptionsError(path, `must be a postgres:// or postgresql:// URL, got a ${protocol}// URL`);
  }
};

const stringArray: Check = (path, value) => {
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string'))
    throw new InvalidEventStoreOptionsError(path, `must be an array of strings, got ${describe(value)}`);
};

const classArray: Check = (path, value) => {
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'function'))
    throw new InvalidEventStoreOptionsError(path, `must be an array of migration classes, got ${describe(value)}`);
};

function object(checks: Record<string, Check>): Check {
  return (path, value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new InvalidEventStoreOptionsError(path, `must be an object, got ${describe(value)}`);
    checkKeys(path, value as Record<string, unknown>, checks);
  };
}

const RETRY_CHECKS: Record<string, Check> = {
  maxAttempts: integerIn(1, 1000),
  initialDelayMs: integerIn(0, HOUR_MS),
  maxDelayMs: integerIn(0, HOUR_MS),
};

const DELIVERY_CHECKS: Record<string, Check> = {
  enabled: boolean,
  pollIntervalMs: integerIn(1, HOUR_MS),
  leaseDurationMs: integerIn(100, HOUR_MS),
  leaseRenewIntervalMs: integerIn(10, HOUR_MS),
  batchSize: integerIn(1, 10_000),
  retry: object(RETRY_CHECKS),
  ownerId: nonEmptyString,
  notifyIntervalMs: integerIn(0, MINUTE_MS),
};

/**
 * Type and range of each option that has one. Options without an entry here
 * (added later) are still accepted as known as long as the resolved options
 * carry them: see `validateEventStoreOptions`.
 */
const positiveNumber: Check = (path, value) => {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)
    throw new InvalidEventStoreOptionsError(path, `must be a positive number, got ${describe(value)}`);
};

/** A TypeORM DataSource for PostgreSQL (checked by shape: the app may load its own copy of typeorm). */
const postgresDataSource: Check = (path, value) => {
  const candidate = value as { options?: { type?: unknown }; createQueryRunner?: unknown } | null;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    typeof candidate.createQueryRunner !== 'function' ||
    typeof candidate.options !== 'object'
  ) {
    throw new InvalidEventStoreOptionsError(path, `must be a TypeORM DataSource, got ${describe(value)}`);
  }
  if (candidate.options?.type !== 'postgres')
    throw new InvalidEventStoreOptionsError(path, `must be a DataSource of type 'postgres', got type '${String(candidate.options?.type)}'`);
};

/** Options that configure a pool or database of the store's own, meaningless with a shared DataSource (`migrationsUrl` is not one: it names the migrating login). */
const OWN_DATABASE_OPTIONS = ['databaseUrl', 'dataDir', 'poolSize', 'statementTimeoutMs', 'connectionTimeoutMs'] as const;

const TOP_LEVEL_CHECKS: Record<string, Check> = {
  dataSource: postgresDataSource,
  databaseUrl,
  migrationsUrl: databaseUrl,
  rolePrefix: nonEmptyString,
  dataDir: nonEmptyString,
  poolSize: integerIn(1, 1000),
  statementTimeoutMs: integerIn(100, 3_600_000),
  connectionTimeoutMs: integerIn(100, 600_000),
  horizonWarningSeconds: positiveNumber,
  horizonCheckIntervalMs: integerIn(0, 24 * HOUR_MS),
  migrationsRun: boolean,
  checkTransactionHorizon: boolean,
  maxEventSizeBytes: integerIn(1, 256 * 1024 * 1024),
  maxEventsPerAppend: integerIn(1, 1_000_000),
  appendConcurrency: integerIn(1, 1000),
  maxAppendsPerTransaction: integerIn(1, 64),
  redactionMetadataAllowList: stringArray,
  allowTenantPurge: boolean,
  logging: boolean,
  schemaMigrations: classArray,
  delivery: object(DELIVERY_CHECKS),
};

/**
 * Rejects unknown keys (naming the nearest valid one) and values of the
 * wrong type or out of range, at every level of the options.
 * @param knownKeys every top-level option the store understands
 * @throws InvalidEventStoreOptionsError naming the first bad option
 */
export function validateEventStoreOptions(options: object, knownKeys: readonly string[]): void {
  const checks: Record<string, Check> = {};
  for (const key of knownKeys) checks[key] = TOP_LEVEL_CHECKS[key] ?? (() => undefined);
  checkKeys('', options as Record<string, unknown>, checks);
  const given = options as Record<string, unknown>;
  if (given.dataSource !== undefined) {
    const clash = OWN_DATABASE_OPTIONS.find((key) => given[key] !== undefined && given[key] !== '');
    if (clash)
      throw new InvalidEventStoreOptionsError(
        clash,
        `cannot be combined with dataSource (the store then uses the application's DataSource, its pool and its timeouts)`,
      );
  }
}

function checkKeys(parent: string, value: Record<string, unknown>, checks: Record<string, Check>): void {
  const known = Object.keys(checks);
  for (const [key, item] of Object.entries(value)) {
    const path = parent ? `${parent}.${key}` : key;
    const check = checks[key];
    if (!check) {
      const nearest = nearestKey(key, known);
      throw new InvalidEventStoreOptionsError(path, 'is not known', nearest && (parent ? `${parent}.${nearest}` : nearest));
    }
    // undefined means "use the default", as for any optional property.
    if (item !== undefined) check(path, item);
  }
}

/** The known key closest to a misspelt one, when it is close enough to be a typo. */
export function nearestKey(key: string, known: readonly string[]): string | undefined {
  let best: { key: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (!best || distance < best.distance) best = { key: candidate, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(key.length / 3)) ? best.key : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : String(value);
}
