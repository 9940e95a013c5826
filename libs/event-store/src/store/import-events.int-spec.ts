import { describeEachBackend } from '../testing/describe-each-backend';
import { TestStore, openTestStore } from '../testing/test-store';
import { StoredDomainEvent } from '../types/stored-domain-event';
import { ExportedEvent } from './import-events';

const exported = (events: StoredDomainEvent[]): ExportedEvent[] => events.map(({ globalPosition: _p, transactionId: _t, ...rest }) => rest);

async function readAll(t: TestStore, tenantId: string): Promise<ExportedEvent[]> {
  const events: StoredDomainEvent[] = [];
  for await (const { checkpoint: _c, ...event } of t.store.streamEvents({ tenantId, raw: true })) events.push(event);
  return exported(events);
}

describeEachBackend('importing exported events', (mode) => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore(mode);
  });
  afterAll(() => t?.close());

  it('stores them as they were, redaction included, once however often imported', async () => {
    const [first] = await t.store.appendEvents(
      [
        {
          aggregateType: 'Order',
          aggregateId: 'o-1',
          eventType: 'OrderPlaced',
          eventVersion: 2,
          data: { n: 1 },
          metadata: { userId: 'u-1' },
        },
        { aggregateType: 'Order', aggregateId: 'o-1', eventType: 'OrderShipped', data: { n: 2 }, occurredAt: '2020-01-02T03:04:05.678Z' },
        { aggregateType: 'Order', aggregateId: 'o-2', eventType: 'OrderPlaced', data: { n: 3 } },
      ],
      'source',
    );
    await t.store.redactEvent(first.eventId, 'source', { reason: 'test', requestedBy: 'dpo' });
    const original = (await readAll(t, 'source')).filter((e) => !e.eventType.startsWith('$'));
    const copy = original.map((e) => ({ ...e, tenantId: 'copy' }));

    expect(await t.store.importEvents('copy', copy)).toEqual({ imported: 3, skipped: 0 });
    expect(await readAll(t, 'copy')).toEqual(copy);
    expect((await readAll(t, 'copy'))[0]).toMatchObject({ isRedacted: true, eventVersion: 2 });
    expect(await t.store.importEvents('copy', copy)).toEqual({ imported: 0, skipped: 3 });
    expect(await readAll(t, 'copy')).toHaveLength(3);
    // The streams moved on: the next append continues after the imported versions.
    const [next] = await t.store.appendEvents([{ aggregateType: 'Order', aggregateId: 'o-1', eventType: 'OrderPaid', data: {} }], 'copy');
    expect(next.aggregateVersion).toBe(3);
  });

  it('refuses an id stored with another stream version, and a stream of another type', async () => {
    const [stored] = await t.store.appendEvents(
      [{ aggregateType: 'Cart', aggregateId: 'c-1', eventType: 'CartOpened', data: {} }],
      'other',
    );
    const clash: ExportedEvent = { ...exported([stored])[0], aggregateVersion: 7 };
    await expect(t.store.importEvents('other', [clash])).rejects.toMatchObject({ code: 'DUPLICATE_EVENT_ID' });
    const wrongType: ExportedEvent = {
      ...exported([stored])[0],
      eventId: '00000000-0000-4000-8000-0000000000aa',
      aggregateType: 'Order',
      aggregateVersion: 2,
    };
    await expect(t.store.importEvents('other', [wrongType])).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringContaining("of type 'Cart'"),
    });
    await expect(t.store.importEvents('other', [{ ...clash, eventId: 'nope' }])).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
