import { StreamNotFoundError } from '../errors/stream-not-found.error';
import { EventValidationError } from '../errors/event-validation.error';
import { describeEachBackend } from '../testing/describe-each-backend';
import { TestStore, openTestStore } from '../testing/test-store';
import { NewDomainEvent } from '../types/stored-domain-event';

const event = (aggregateId: string, n: number): NewDomainEvent => ({
  aggregateType: 'Counter',
  aggregateId,
  eventType: 'Incremented',
  data: { n },
});

describeEachBackend('snapshots', (mode) => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore(mode);
    await t.store.appendEvents(
      [1, 2, 3, 4, 5].map((n) => event('ctr-1', n)),
      'acme',
    );
  });
  afterAll(() => t?.close());

  it('records snapshots and returns the latest, at or below maxVersion, of a schema version', async () => {
    expect(await t.store.getLatestSnapshot('ctr-1', 'acme')).toBeNull();
    await t.store.recordSnapshot('ctr-1', 'acme', { aggregateType: 'Counter', version: 2, state: { total: 3 } });
    await t.store.recordSnapshot('ctr-1', 'acme', { aggregateType: 'Counter', version: 4, state: { total: 10 } });
    await t.store.recordSnapshot('ctr-1', 'acme', { aggregateType: 'Counter', version: 5, state: { sum: 15 }, schemaVersion: 2 });
    expect(await t.store.getLatestSnapshot('ctr-1', 'acme')).toMatchObject({
      tenantId: 'acme',
      aggregateId: 'ctr-1',
      aggregateType: 'Counter',
      version: 5,
      schemaVersion: 2,
      state: { sum: 15 },
    });
    expect(await t.store.getLatestSnapshot('ctr-1', 'acme', { schemaVersion: 1 })).toMatchObject({ version: 4, state: { total: 10 } });
    expect(await t.store.getLatestSnapshot('ctr-1', 'acme', { maxVersion: 3 })).toMatchObject({ version: 2, state: { total: 3 } });
    expect(await t.store.getLatestSnapshot('ctr-1', 'acme', { maxVersion: 1 })).toBeNull();
    expect((await t.store.getLatestSnapshot('ctr-1', 'acme'))!.createdAt).toBeInstanceOf(Date);
  });

  it('replaces a snapshot recorded again at the same version', async () => {
    await t.store.recordSnapshot('ctr-1', 'acme', { aggregateType: 'Counter', version: 4, state: { total: 11 } });
    expect(await t.store.getLatestSnapshot('ctr-1', 'acme', { schemaVersion: 1 })).toMatchObject({ version: 4, state: { total: 11 } });
  });

  it('rejects a version beyond the stream, another aggregate type, and a missing stream', async () => {
    await expect(t.store.recordSnapshot('ctr-1', 'acme', { aggregateType: 'Counter', version: 6, state: {} })).rejects.toMatchObject({
      violations: [{ field: 'version' }],
    });
    await expect(t.store.recordSnapshot('ctr-1', 'acme', { aggregateType: 'Gauge', version: 1, state: {} })).rejects.toMatchObject({
      violations: [{ field: 'aggregateType' }],
    });
    await expect(t.store.recordSnapshot('ctr-none', 'acme', { aggregateType: 'Counter', version: 1, state: {} })).rejects.toBeInstanceOf(
      StreamNotFoundError,
    );
    expect(await t.store.getLatestSnapshot('ctr-1', 'acme', { maxVersion: 1 })).toBeNull();
  });

  it("keeps tenants apart: another tenant sees null and cannot snapshot acme's stream", async () => {
    expect(await t.store.getLatestSnapshot('ctr-1', 'globex')).toBeNull();
    await expect(t.store.recordSnapshot('ctr-1', 'globex', { aggregateType: 'Counter', version: 1, state: {} })).rejects.toBeInstanceOf(
      StreamNotFoundError,
    );
  });

  it('validates its input', async () => {
    const fields = async (attempt: Promise<unknown>) =>
      ((await attempt.catch((e: unknown) => e)) as EventValidationError).violations.map((v) => v.field);
    expect(await fields(t.store.recordSnapshot('ctr-1', 'acme', { aggregateType: 'Counter', version: 0, state: {} }))).toEqual(['version']);
    expect(await fields(t.store.recordSnapshot('ctr-1', 'acme', { aggregateType: 'Counter', version: 1 } as never))).toEqual(['state']);
    expect(
      await fields(t.store.recordSnapshot('ctr-1', 'acme', { aggregateType: 'Counter', version: 1, state: {}, schemaVersion: 0 })),
    ).toEqual(['schemaVersion']);
    expect(
      await fields(t.store.recordSnapshot('ctr-1', 'acme', { aggregateType: 'Counter', version: 1, state: {}, extra: 1 } as never)),
    ).toEqual(['snapshot']);
    expect(await fields(t.store.recordSnapshot('', 'acme', { aggregateType: 'Counter', version: 1, state: {} }))).toEqual(['aggregateId']);
    expect(await fields(t.store.getLatestSnapshot('ctr-1', 'acme', { maxVersion: 0 }))).toEqual(['maxVersion']);
    expect(await fields(t.store.getLatestSnapshot('ctr-1', 'acme', { version: 1 } as never))).toEqual(['options']);
  });
});
