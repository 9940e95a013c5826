import { resolveEventStoreOptions } from './event-store.options';

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
});
