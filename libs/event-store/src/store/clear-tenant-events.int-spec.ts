import { describeEachBackend } from '../testing/describe-each-backend';
import { TestStore, openTestStore } from '../testing/test-store';
import { NewDomainEvent } from '../types/stored-domain-event';
import { purgeTenant } from './clear-tenant-events';

const placed = (aggregateId: string, n: number): NewDomainEvent => ({
  aggregateType: 'Order',
  aggregateId,
  eventType: 'OrderPlaced',
  data: { n },
});

describeEachBackend('tenant purge in bounded chunks', (mode) => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore(mode);
  });
  afterAll(() => t?.close());

  it('deletes a large tenant in one short transaction per chunk, and nothing of another tenant', async () => {
    await t.store.appendEvents(
      Array.from({ length: 250 }, (_, i) => placed(`o-${i % 5}`, i)),
      'big',
    );
    await t.store.recordSnapshot('o-1', 'big', { aggregateType: 'Order', version: 1, state: { n: 1 } });
    const [kept] = await t.store.appendEvents([placed('o-1', 0)], 'small');
    const transactions = jest.spyOn(t.database, 'runInTenantAsLogin');
    try {
      expect(await purgeTenant(t.database, 'big', 100)).toBe(250);
      // 100 + 100 + 50: the short last chunk also removes the streams and snapshots.
      expect(transactions).toHaveBeenCalledTimes(3);
    } finally {
      transactions.mockRestore();
    }
    expect((await t.store.getStatistics('big')).totalEvents).toBe(0);
    expect(await t.store.getLatestSnapshot('o-1', 'big')).toBeNull();
    await expect(t.store.getStream('o-1', 'big')).rejects.toMatchObject({ code: 'STREAM_NOT_FOUND' });
    expect((await t.store.getEventById('small', kept.eventId)).eventId).toBe(kept.eventId);
    // A multiple of the chunk ends with an empty chunk that removes the streams.
    await t.store.appendEvents(
      Array.from({ length: 200 }, (_, i) => placed('o-9', i)),
      'big',
    );
    expect(await purgeTenant(t.database, 'big', 100)).toBe(200);
    expect((await t.store.appendEvent(placed('o-9', 0), 'big', { expectedVersion: 'no_stream' })).aggregateVersion).toBe(1);
  });
});
