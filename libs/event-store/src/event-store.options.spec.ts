import { DataSource } from 'typeorm';
import { InvalidEventStoreOptionsError } from './errors/invalid-options.error';
import { resolveEventStoreOptions } from './event-store.options';

// Never initialized: the options are checked before any connection is made.
const postgres = new DataSource({ type: 'postgres', url: 'postgres://app@localhost/app' });

describe('resolveEventStoreOptions', () => {
  it('bounds statements to 10 s and connection waits to 5 s by default', () => {
    expect(resolveEventStoreOptions({})).toMatchObject({ statementTimeoutMs: 10_000, connectionTimeoutMs: 5_000 });
  });

  it.each([
    ['statementTimeoutMs', 99, 'from 100 to 3600000'],
    ['statementTimeoutMs', 0, 'from 100 to 3600000'],
    ['statementTimeoutMs', 3_600_001, 'from 100 to 3600000'],
    ['statementTimeoutMs', 1.5, 'from 100 to 3600000'],
    ['connectionTimeoutMs', 50, 'from 100 to 600000'],
    ['connectionTimeoutMs', 600_001, 'from 100 to 600000'],
  ])('rejects %s = %s with an error naming the option and its range', (name, value, range) => {
    expect(() => resolveEventStoreOptions({ [name]: value })).toThrow(`EventStoreModule option '${name}' must be an integer ${range}`);
  });

  it('accepts a PostgreSQL DataSource and keeps it as given', () => {
    expect(resolveEventStoreOptions({ dataSource: postgres }).dataSource).toBe(postgres);
  });

  it.each([
    ['databaseUrl', 'postgres://other@localhost/other'],
    ['dataDir', 'memory://'],
    ['poolSize', 5],
    ['statementTimeoutMs', 1000],
    ['connectionTimeoutMs', 1000],
  ])('rejects %s combined with dataSource with InvalidEventStoreOptionsError naming the option', (name, value) => {
    const attempt = () => resolveEventStoreOptions({ dataSource: postgres, [name]: value });
    expect(attempt).toThrow(InvalidEventStoreOptionsError);
    expect(attempt).toThrow(`EventStoreModule option '${name}' cannot be combined with dataSource`);
  });

  it('accepts migrationsUrl with dataSource: the schema owner migrates, the shared pool runs', () => {
    const url = 'postgres://owner@localhost/app';
    expect(resolveEventStoreOptions({ dataSource: postgres, migrationsUrl: url })).toMatchObject({
      dataSource: postgres,
      migrationsUrl: url,
    });
  });

  it('rejects a dataSource that is not a PostgreSQL TypeORM DataSource', () => {
    expect(() => resolveEventStoreOptions({ dataSource: { url: 'x' } as never })).toThrow(
      `option 'dataSource' must be a TypeORM DataSource`,
    );
    const sqlite = { options: { type: 'sqlite' }, createQueryRunner: () => undefined };
    expect(() => resolveEventStoreOptions({ dataSource: sqlite as never })).toThrow(
      `must be a DataSource of type 'postgres', got type 'sqlite'`,
    );
  });
});
