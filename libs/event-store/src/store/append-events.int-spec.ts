import { randomUUID } from 'node:crypto';
import { ConcurrencyError } from '../errors/concurrency.error';
import { DuplicateEventError } from '../errors/duplicate-event.error';
import { EventValidationError } from '../errors/event-validation.error';
import { describeEachBackend } from '../testing/describe-each-backend';
import { TestStore, openTestStore } from '../testing/test-store';
import { NewDomainEvent } from '../types/stored-domain-event';

const event = (aggregateId: string, data: Record<string, unknown> = {}, extra: Partial<NewDomainEvent> = {}): NewDomainEvent => ({
  aggregateType: 'Requirement',
  aggregateId,
  eventType: 'RequirementCreated',
  data,
  ...extra,
});

describeEachBackend('appendEvents', (mode) => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore(mode);
  });
  afterAll(() => t?.close());

  it('stores a batch with contiguous versions, database positions and defaults', async () => {
    const stored = await t.store.appendEvents([event('req-1', { title: 'a' }), event('req-1', { title: 'b' })], 'acme', {
      expectedVersion: 'no_stream',
    });
    expect(stored.map((e) => e.aggregateVersion)).toEqual([1, 2]);
    expect(BigInt(stored[1].globalPosition)).toBeGreaterThan(BigInt(stored[0].globalPosition));
    expect(stored[0].eventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(stored[0].eventVersion).toBe(1);
    expect(stored[0].occurredAt).toBeInstanceOf(Date);
    expect(stored[0].storedAt).toBeInstanceOf(Date);
    expect(stored[0].tenantId).toBe('acme');
  });

  it('returns what a read returns: payload and metadata as stored, for fresh appends and for idempotent retries', async () => {
    const payload = {
      title: 'Nested',
      when: new Date('2026-01-02T03:04:05Z'),
      items: [{ n: 1 }, { n: 2.5 }],
      unicode: 'Grüße ✓',
      skip: undefined,
    };
    const batch = [
      event('req-returned', payload, { eventId: randomUUID(), metadata: { correlationId: 'c-1', tags: ['a'] } }),
      event('req-returned', { second: true }),
    ];
    const stored = await t.store.appendEvents(batch, 'acme');
    const read = await t.store.getEventsForAggregate('req-returned', 'acme', { raw: true });
    expect(stored).toEqual(read);
    // The Date went in as JSON: it comes back as its ISO string, as on every read.
    expect(stored[0].data).toEqual({
      title: 'Nested',
      when: '2026-01-02T03:04:05.000Z',
      items: [{ n: 1 }, { n: 2.5 }],
      unicode: 'Grüße ✓',
    });
    expect(await t.store.appendEvents([batch[0]], 'acme')).toEqual([read[0]]);
  });

  it('rejects a stale expectedVersion with ConcurrencyError naming both versions', async () => {
    await t.store.appendEvent(event('req-2'), 'acme');
    const attempt = t.store.appendEvent(event('req-2'), 'acme', { expectedVersion: 0 });
    await expect(attempt).rejects.toBeInstanceOf(ConcurrencyError);
    await expect(t.store.appendEvent(event('req-2'), 'acme', { expectedVersion: 0 })).rejects.toMatchObject({
      expectedVersion: 0,
      actualVersion: 1,
      aggregateId: 'req-2',
    });
    expect(await t.store.getEventsForAggregate('req-2', 'acme')).toHaveLength(1);
  });

  it('checks no_stream and stream_exists', async () => {
    await expect(t.store.appendEvent(event('req-3'), 'acme', { expectedVersion: 'stream_exists' })).rejects.toMatchObject({
      actualVersion: 0,
    });
    await t.store.appendEvent(event('req-3'), 'acme', { expectedVersion: 'no_stream' });
    await expect(t.store.appendEvent(event('req-3'), 'acme', { expectedVersion: 'no_stream' })).rejects.toBeInstanceOf(ConcurrencyError);
    await t.store.appendEvent(event('req-3'), 'acme', { expectedVersion: 'stream_exists' });
    expect(await t.store.getEventsForAggregate('req-3', 'acme')).toHaveLength(2);
  });

  it('is all-or-nothing across streams', async () => {
    await t.store.appendEvent(event('multi-b'), 'acme');
    const batch = [event('multi-a'), event('multi-b'), event('multi-a')];
    await expect(t.store.appendEvents(batch, 'acme', { expectedVersion: { 'multi-a': 'no_stream', 'multi-b': 5 } })).rejects.toBeInstanceOf(
      ConcurrencyError,
    );
    expect(await t.store.getEventsForAggregate('multi-a', 'acme')).toHaveLength(0);
    const stored = await t.store.appendEvents(batch, 'acme', { expectedVersion: { 'multi-a': 'no_stream', 'multi-b': 1 } });
    expect(stored.map((e) => [e.aggregateId, e.aggregateVersion])).toEqual([
      ['multi-a', 1],
      ['multi-b', 2],
      ['multi-a', 2],
    ]);
  });

  it('is idempotent on event id with the same content, and rejects the id with other content', async () => {
    const eventId = randomUUID();
    const first = await t.store.appendEvent(event('req-4', { n: 1 }, { eventId }), 'acme');
    const again = await t.store.appendEvent(event('req-4', { n: 1 }, { eventId }), 'acme', { expectedVersion: 0 });
    expect(again.globalPosition).toBe(first.globalPosition);
    expect(await t.store.getEventsForAggregate('req-4', 'acme')).toHaveLength(1);
    await expect(t.store.appendEvent(event('req-4', { n: 2 }, { eventId }), 'acme')).rejects.toBeInstanceOf(DuplicateEventError);
  });

  it('keeps the same event id apart per tenant', async () => {
    const eventId = randomUUID();
    await t.store.appendEvent(event('shared', {}, { eventId }), 'acme');
    await t.store.appendEvent(event('shared', {}, { eventId }), 'globex');
    expect(await t.store.getEventsForAggregate('shared', 'globex')).toHaveLength(1);
  });

  it('rejects a stream of another aggregate type', async () => {
    await t.store.appendEvent(event('typed'), 'acme');
    await expect(t.store.appendEvent(event('typed', {}, { aggregateType: 'Bug' }), 'acme')).rejects.toBeInstanceOf(EventValidationError);
  });
});
