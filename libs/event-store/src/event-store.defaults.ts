/**
 * Every default of the module options, in one place: `resolveEventStoreOptions`
 * applies them once, and the rest of the store reads resolved options only.
 * Applications that configure a pool of their own for the store (option
 * `dataSource`) can take the store's bounds from here.
 */
export const EVENT_STORE_DEFAULTS = {
  rolePrefix: 'event_store',
  dataDir: './.data',
  poolSize: 10,
  statementTimeoutMs: 10_000,
  connectionTimeoutMs: 5_000,
  migrationsRun: true,
  checkTransactionHorizon: true,
  horizonWarningSeconds: 30,
  horizonCheckIntervalMs: 10_000,
  maxEventSizeBytes: 256 * 1024,
  maxEventsPerAppend: 10_000,
  appendConcurrency: 2,
  maxAppendsPerTransaction: 32,
  redactionMetadataAllowList: ['correlationId', 'causationId', 'source'] as readonly string[],
  allowTenantPurge: false,
  logging: false,
} as const;

/** Defaults of the `delivery` option (subscribers and projections). */
export const DELIVERY_DEFAULTS = {
  enabled: true,
  pollIntervalMs: 200,
  leaseDurationMs: 5_000,
  leaseRenewIntervalMs: 1_000,
  batchSize: 100,
  notifyIntervalMs: 10,
  retry: { maxAttempts: 5, initialDelayMs: 100, maxDelayMs: 5_000 },
} as const;
