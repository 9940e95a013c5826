import { InvalidEventStoreOptionsError } from './errors/invalid-options.error';
import { EventStoreModuleOptions, resolveEventStoreOptions } from './event-store.options';

function rejection(options: Record<string, unknown>): InvalidEventStoreOptionsError {
  try {
    resolveEventStoreOptions(options as EventStoreModuleOptions);
  } catch (error) {
    if (error instanceof InvalidEventStoreOptionsError) return error;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(options)}`);
}

describe('resolveEventStoreOptions', () => {
  it('accepts no options and a full valid set', () => {
    expect(resolveEventStoreOptions({}).poolSize).toBe(10);
    const full: EventStoreModuleOptions = {
      databaseUrl: 'postgresql://app:secret@db.internal:5432/events?sslmode=require',
      dataDir: 'memory://',
      poolSize: 20,
      migrationsRun: false,
      checkTransactionHorizon: false,
      maxEventSizeBytes: 1024,
      maxEventsPerAppend: 100,
      appendConcurrency: 4,
      maxAppendsPerTransaction: 64,
      redactionMetadataAllowList: ['correlationId'],
      allowTenantPurge: true,
      logging: false,
      schemaMigrations: [],
      delivery: {
        enabled: true,
        pollIntervalMs: 50,
        leaseDurationMs: 5000,
        leaseRenewIntervalMs: 1000,
        batchSize: 500,
        retry: { maxAttempts: 3, initialDelayMs: 0, maxDelayMs: 100 },
        ownerId: 'worker-1',
        notifyIntervalMs: 0,
      },
    };
    expect(resolveEventStoreOptions(full)).toMatchObject({ poolSize: 20, databaseUrl: full.databaseUrl });
  });

  it('treats undefined and an empty databaseUrl as unset (the embedded database)', () => {
    expect(resolveEventStoreOptions({ databaseUrl: '', poolSize: undefined }).databaseUrl).toBeUndefined();
  });

  it('rejects a misspelt option with InvalidEventStoreOptionsError naming it and the nearest valid one', () => {
    const error = rejection({ databaseURL: 'postgres://localhost/events' });
    expect(error).toMatchObject({ code: 'INVALID_OPTIONS', option: 'databaseURL', suggestion: 'databaseUrl' });
    expect(error.message).toBe("EventStoreModule option 'databaseURL' is not known; did you mean 'databaseUrl'?");
    expect(rejection({ poolsize: 5 }).suggestion).toBe('poolSize');
    expect(rejection({ maxEventsPerApend: 5 }).suggestion).toBe('maxEventsPerAppend');
  });

  it('rejects a misspelt nested option with its full path', () => {
    expect(rejection({ delivery: { batchsize: 10 } })).toMatchObject({ option: 'delivery.batchsize', suggestion: 'delivery.batchSize' });
    expect(rejection({ delivery: { retry: { maxAttempt: 2 } } })).toMatchObject({
      option: 'delivery.retry.maxAttempt',
      suggestion: 'delivery.retry.maxAttempts',
    });
  });

  it('rejects an unknown option unlike any valid one without a suggestion', () => {
    const error = rejection({ synchronize: true });
    expect(error.suggestion).toBeUndefined();
    expect(error.message).toBe("EventStoreModule option 'synchronize' is not known");
  });

  it.each([
    ['poolSize', 0],
    ['poolSize', 1001],
    ['poolSize', 2.5],
    ['poolSize', '10'],
    ['maxEventSizeBytes', 0],
    ['maxEventsPerAppend', -1],
    ['appendConcurrency', 0],
    ['maxAppendsPerTransaction', 65],
  ])('rejects %s = %p as out of range, naming the range', (option, value) => {
    expect(rejection({ [option]: value })).toMatchObject({ option, message: expect.stringMatching(/must be an integer from \d+ to \d+/) });
  });

  it.each([
    ['batchSize', 0],
    ['batchSize', 10_001],
    ['pollIntervalMs', 0],
    ['leaseDurationMs', 50],
    ['leaseRenewIntervalMs', 5],
    ['notifyIntervalMs', 60_001],
  ])('rejects delivery.%s = %p as out of range', (option, value) => {
    expect(rejection({ delivery: { [option]: value } })).toMatchObject({ option: `delivery.${option}` });
  });

  it('rejects retry timings and attempts out of range', () => {
    expect(rejection({ delivery: { retry: { maxAttempts: 0 } } }).option).toBe('delivery.retry.maxAttempts');
    expect(rejection({ delivery: { retry: { maxDelayMs: -1 } } }).option).toBe('delivery.retry.maxDelayMs');
  });

  it('rejects values of the wrong type', () => {
    expect(rejection({ migrationsRun: 'yes' }).message).toBe("EventStoreModule option 'migrationsRun' must be true or false, got 'yes'");
    expect(rejection({ redactionMetadataAllowList: 'correlationId' }).option).toBe('redactionMetadataAllowList');
    expect(rejection({ schemaMigrations: [{}] }).option).toBe('schemaMigrations');
    expect(rejection({ delivery: 5 }).message).toContain('must be an object');
    expect(rejection({ dataDir: ' ' }).option).toBe('dataDir');
  });

  it('rejects a databaseUrl that is not a postgres:// URL', () => {
    expect(rejection({ databaseUrl: 'mysql://localhost/events' }).message).toContain('got a mysql:// URL');
    expect(rejection({ databaseUrl: 'localhost:5432/events' }).option).toBe('databaseUrl');
  });
});
