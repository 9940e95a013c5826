import { randomUUID } from 'node:crypto';
import { ConcurrencyError } from '../errors/concurrency.error';
import { DuplicateEventError } from '../errors/duplicate-event.error';
import { describeEachBackend } from '../testing/describe-each-backend';
import { TestStore, openTestStore } from '../testing/test-store';
import { NewDomainEvent } from '../types/stored-domain-event';
import { APPEND_EVENTS_SQL } from './append-events.sql';
import { appendFunctionInput } from './testing-fixtures/append-function-input';

const event = (aggregateId: string, data: Record<string, unknown>, eventId: string = randomUUID()): NewDomainEvent => ({
  eventId,
  aggregateType: 'Payment',
  aggregateId,
  eventType: 'PaymentCaptured',
  data,
  metadata: { userId: 'alice' },
});

describeEachBackend('idempotent appends', (mode) => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore(mode);
  });
  afterAll(() => t?.close());

  it('returns the stored event for the same id and content, without a duplicate, whatever the expected version', async () => {
    const first = await t.store.appendEvent(event('pay-1', { amount: 10 }), 'acme', { expectedVersion: 'no_stream' });
    const retry = { ...event('pay-1', { amount: 10 }, first.eventId), occurredAt: new Date(Date.now() + 5000) };
    const again = await t.store.appendEvent(retry, 'acme', { expectedVersion: 'no_stream' });
    expect(again).toEqual(first);
    expect(await t.store.getEventsForAggregate('pay-1', 'acme')).toHaveLength(1);
  });

  it('rejects the same id with other content, or for another stream or type, with DuplicateEventError', async () => {
    const first = await t.store.appendEvent(event('pay-2', { amount: 10 }), 'acme');
    await expect(t.store.appendEvent(event('pay-2', { amount: 11 }, first.eventId), 'acme')).rejects.toMatchObject({
      code: 'DUPLICATE_EVENT_ID',
      eventId: first.eventId,
    });
    await expect(t.store.appendEvent(event('pay-other', { amount: 10 }, first.eventId), 'acme')).rejects.toBeInstanceOf(
      DuplicateEventError,
    );
    await expect(
      t.store.appendEvent({ ...event('pay-2', { amount: 10 }, first.eventId), eventType: 'PaymentRefunded' }, 'acme'),
    ).rejects.toBeInstanceOf(DuplicateEventError);
    expect(await t.store.getEventsForAggregate('pay-2', 'acme')).toHaveLength(1);
    expect(await t.store.getEventsForAggregate('pay-other', 'acme')).toHaveLength(0);
  });

  it('returns a whole re-sent batch as stored, and rejects a batch that only partly repeats one', async () => {
    const batch = [event('pay-3', { n: 1 }), event('pay-4', { n: 2 }), event('pay-3', { n: 3 })];
    const first = await t.store.appendEvents(batch, 'acme', { expectedVersion: { 'pay-3': 'no_stream', 'pay-4': 'no_stream' } });
    const again = await t.store.appendEvents(batch, 'acme', { expectedVersion: { 'pay-3': 'no_stream', 'pay-4': 'no_stream' } });
    expect(again.map((e) => e.globalPosition)).toEqual(first.map((e) => e.globalPosition));
    expect(again.map((e) => [e.aggregateId, e.aggregateVersion])).toEqual([
      ['pay-3', 1],
      ['pay-4', 1],
      ['pay-3', 2],
    ]);

    const mixed = [batch[0], event('pay-3', { n: 4 })];
    await expect(t.store.appendEvents(mixed, 'acme')).rejects.toBeInstanceOf(DuplicateEventError);
    expect(await t.store.getEventsForAggregate('pay-3', 'acme')).toHaveLength(2);
  });

  it('rejects the same id with the same data but other metadata with DuplicateEventError, keeping the stored metadata', async () => {
    const first = await t.store.appendEvent(event('pay-6', { amount: 6 }), 'acme');
    const withSubject = { ...event('pay-6', { amount: 6 }, first.eventId), metadata: { userId: 'alice', subjectId: 'customer-42' } };
    await expect(t.store.appendEvent(withSubject, 'acme')).rejects.toMatchObject({ code: 'DUPLICATE_EVENT_ID', eventId: first.eventId });
    const otherUser = { ...event('pay-6', { amount: 6 }, first.eventId), metadata: { userId: 'bob' } };
    await expect(t.store.appendEvent(otherUser, 'acme')).rejects.toBeInstanceOf(DuplicateEventError);
    const withoutMetadata = { ...event('pay-6', { amount: 6 }, first.eventId), metadata: undefined };
    await expect(t.store.appendEvent(withoutMetadata, 'acme')).rejects.toBeInstanceOf(DuplicateEventError);
    expect((await t.store.getEventById('acme', first.eventId)).metadata).toEqual({ userId: 'alice' });
  });

  it('treats a retry that differs only in metadata.correlationId (a new request) as the same event and returns it as stored', async () => {
    const original = { ...event('pay-7', { amount: 7 }), metadata: { userId: 'alice', correlationId: 'request-1' } };
    const first = await t.store.appendEvent(original, 'acme');
    const again = await t.store.appendEvent({ ...original, metadata: { userId: 'alice', correlationId: 'request-2' } }, 'acme');
    expect(again).toEqual(first);
    const withoutCorrelation = await t.store.appendEvent({ ...original, metadata: { userId: 'alice' } }, 'acme');
    expect(withoutCorrelation.metadata).toEqual({ userId: 'alice', correlationId: 'request-1' });
    expect(await t.store.getEventsForAggregate('pay-7', 'acme')).toHaveLength(1);
  });

  // The function's p_client_ids (decision 0029): false writes as a fresh
  // append (the store's first try, also with caller ids); true looks the ids up first.
  it('refuses stored ids on a first try through the unique index, and returns them as stored when sent as a retry', async () => {
    const append = (events: string, expected: string, retry: boolean) =>
      t.database.query(APPEND_EVENTS_SQL, ['acme', events, expected, retry], 'appendEvents');
    const events = appendFunctionInput('fn-1', 2);
    expect(await append(events, '{"*":"no_stream"}', false)).toHaveLength(2);
    await expect(append(events, '{}', false)).rejects.toBeInstanceOf(DuplicateEventError);
    await expect(append(events, '{"*":"no_stream"}', false)).rejects.toMatchObject({ constructor: ConcurrencyError, actualVersion: 2 });
    const stored = await append(events, '{"*":"no_stream"}', true);
    expect(stored.map((row: { aggregate_version: number }) => row.aggregate_version)).toEqual([1, 2]);
    expect(await t.store.getEventsForAggregate('fn-1', 'acme')).toHaveLength(2);
  });

  it('sequential retries of the same single append never duplicate it', async () => {
    const e = event('pay-5', { amount: 5 });
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await t.store.appendEvent(e, 'acme'));
    expect(new Set(results.map((r) => r.globalPosition)).size).toBe(1);
    expect(await t.store.getEventsForAggregate('pay-5', 'acme')).toHaveLength(1);
  });
});
