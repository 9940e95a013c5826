import { EventValidationError } from '../errors/event-validation.error';
import { describeEachBackend } from '../testing/describe-each-backend';
import { TestStore, openTestStore } from '../testing/test-store';
import { ErasureProgress, REDACTION_MARKER } from '../types/redaction';
import { NewDomainEvent, StoredDomainEvent } from '../types/stored-domain-event';

const DPO = { reason: 'GDPR art. 17 request', requestedBy: 'dpo-1' };

const tagged = (aggregateId: string, n: number, subjectId: string): NewDomainEvent[] =>
  Array.from({ length: n }, (_, i) => ({
    aggregateType: 'Customer',
    aggregateId,
    eventType: 'CustomerNoted',
    data: { note: `secret ${i}` },
    metadata: { subjectId },
  }));

describeEachBackend('chunked erasure', (mode) => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore(mode);
  });
  afterAll(() => t?.close());

  // A stream read is not bound to the transaction horizon: no wait needed.
  const markers = (tenantId: string): Promise<StoredDomainEvent[]> => t.store.getEventsForAggregate(REDACTION_MARKER.aggregateId, tenantId);

  it('redacts in chunks of chunkSize, oldest first, reporting progress and announcing each chunk with one marker', async () => {
    const stored = await t.store.appendEvents([...tagged('c-1', 7, 'subj-a'), ...tagged('c-2', 3, 'subj-other')], 'chunky');
    const progress: ErasureProgress[] = [];
    const result = await t.store.eraseSubject('subj-a', 'chunky', DPO, { chunkSize: 3, onProgress: (p) => progress.push(p) });

    expect(result).toEqual({ subjectId: 'subj-a', redactedEvents: 7 });
    expect(progress).toEqual([
      { subjectId: 'subj-a', chunks: 1, redactedEvents: 3, remaining: 4 },
      { subjectId: 'subj-a', chunks: 2, redactedEvents: 6, remaining: 1 },
      { subjectId: 'subj-a', chunks: 3, redactedEvents: 7, remaining: 0 },
    ]);
    const announced = await markers('chunky');
    expect(announced.map((m) => (m.data.events as unknown[]).length)).toEqual([3, 3, 1]);
    expect(announced[0]).toMatchObject({ aggregateType: '$EventStore', eventType: '$EventsRedacted', metadata: {} });
    expect((announced[0].data.events as unknown[])[0]).toEqual({
      eventId: stored[0].eventId,
      globalPosition: stored[0].globalPosition,
      aggregateType: 'Customer',
      aggregateId: 'c-1',
      aggregateVersion: 1,
      eventType: 'CustomerNoted',
    });
    // The marker names envelopes only: no subject id, no reason, no payload.
    expect(JSON.stringify(announced)).not.toMatch(/subj-a|secret|art\. 17/);
    const others = await t.store.getEventsForAggregate('c-2', 'chunky');
    expect(others.every((e) => !e.isRedacted)).toBe(true);
  });

  it('finishes an interrupted erasure when repeated, counting only what was left', async () => {
    await t.store.appendEvents(tagged('c-3', 5, 'subj-b'), 'chunky');
    const crash = new Error('process died after the first chunk');
    await expect(
      t.store.eraseSubject('subj-b', 'chunky', DPO, {
        chunkSize: 2,
        onProgress: () => {
          throw crash;
        },
      }),
    ).rejects.toBe(crash);
    expect((await t.store.getEventsForAggregate('c-3', 'chunky')).map((e) => e.isRedacted)).toEqual([true, true, false, false, false]);

    expect(await t.store.eraseSubject('subj-b', 'chunky', DPO, { chunkSize: 2 })).toEqual({ subjectId: 'subj-b', redactedEvents: 3 });
    expect((await t.store.getEventsForAggregate('c-3', 'chunky')).every((e) => e.isRedacted)).toBe(true);
    const [{ n }] = await t.database.runInTenant('chunky', (q) =>
      q.query(`SELECT count(*)::int AS n FROM event_store_redactions WHERE removed_metadata_keys @> '{subjectId}'`),
    );
    expect(n).toBe(7 + 5);
  });

  it('finds a subject id given in subjectIds among others, and only whole string ids', async () => {
    await t.store.appendEvents(
      [
        { aggregateType: 'Customer', aggregateId: 'c-4', eventType: 'CustomerNoted', data: {}, metadata: { subjectIds: ['x', 'subj-c'] } },
        { aggregateType: 'Customer', aggregateId: 'c-4', eventType: 'CustomerNoted', data: {}, metadata: { subjectId: 'subj-c-and-more' } },
        { aggregateType: 'Customer', aggregateId: 'c-4', eventType: 'CustomerNoted', data: {}, metadata: { note: 'subj-c' } },
      ],
      'chunky',
    );
    expect(await t.store.eraseSubject('subj-c', 'chunky', DPO)).toEqual({ subjectId: 'subj-c', redactedEvents: 1 });
    expect((await t.store.getEventsForAggregate('c-4', 'chunky')).map((e) => e.isRedacted)).toEqual([true, false, false]);
  });

  it('rejects a chunkSize outside 1..10000 and unknown options with EventValidationError naming them', async () => {
    await expect(t.store.eraseSubject('s', 'chunky', DPO, { chunkSize: 0 })).rejects.toMatchObject({
      violations: [{ field: 'chunkSize' }],
    });
    await expect(t.store.eraseSubject('s', 'chunky', DPO, { chunkSize: 2.5 })).rejects.toBeInstanceOf(EventValidationError);
    await expect(t.store.eraseSubject('s', 'chunky', DPO, { batch: 3 } as never)).rejects.toMatchObject({
      violations: [{ field: 'options' }],
    });
    await expect(t.store.eraseSubject('s', 'chunky', DPO, { onProgress: 'yes' } as never)).rejects.toMatchObject({
      violations: [{ field: 'onProgress' }],
    });
  });

  it('refuses normal appends to the reserved $ streams and event types', async () => {
    const base = { aggregateType: 'Customer', aggregateId: 'c-9', eventType: 'CustomerNoted', data: {} };
    await expect(t.store.appendEvent({ ...base, aggregateId: '$redactions' }, 'chunky')).rejects.toMatchObject({
      violations: [{ field: 'events[0].aggregateId' }],
    });
    await expect(t.store.appendEvent({ ...base, eventType: '$EventsRedacted' }, 'chunky')).rejects.toMatchObject({
      violations: [{ field: 'events[0].eventType' }],
    });
    await expect(t.store.appendEvent({ ...base, aggregateType: '$EventStore' }, 'chunky')).rejects.toMatchObject({
      violations: [{ field: 'events[0].aggregateType' }],
    });
  });

  it('does not announce a redaction that changed nothing', async () => {
    const before = (await markers('chunky')).length;
    expect(await t.store.eraseSubject('subj-a', 'chunky', DPO)).toEqual({ subjectId: 'subj-a', redactedEvents: 0 });
    const [first] = await t.store.getEventsForAggregate('c-1', 'chunky');
    await t.store.redactEvent(first.eventId, 'chunky', DPO);
    expect(await markers('chunky')).toHaveLength(before);
  });
});
