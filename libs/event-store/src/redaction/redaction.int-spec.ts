import { EventNotFoundError } from '../errors/event-not-found.error';
import { EventValidationError } from '../errors/event-validation.error';
import { describeEachBackend } from '../testing/describe-each-backend';
import { TestStore, openTestStore } from '../testing/test-store';
import { waitForHorizon } from '../testing/wait-for-horizon';
import { NewDomainEvent, StoredDomainEvent } from '../types/stored-domain-event';

const DPO = { reason: 'GDPR art. 17 request', requestedBy: 'dpo-1' };

const event = (aggregateId: string, data: Record<string, unknown>, metadata: Record<string, unknown> = {}): NewDomainEvent => ({
  aggregateType: 'Customer',
  aggregateId,
  eventType: 'CustomerRegistered',
  data,
  metadata,
});

describeEachBackend('redaction and erasure', (mode) => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore(mode);
  });
  afterAll(() => t?.close());

  const logRows = (tenantId: string, eventId: string) =>
    t.database.runInTenant(tenantId, (q) =>
      q.query('SELECT reason, requested_by, removed_metadata_keys FROM event_store_redactions WHERE tenant_id = $1 AND event_id = $2', [
        tenantId,
        eventId,
      ]),
    );

  it('replaces the payload, keeps allow-listed metadata and the envelope, and logs it once', async () => {
    const stored = await t.store.appendEvent(
      event(
        'cust-1',
        { name: 'Alice Zebra', email: 'alice@example.com' },
        { userId: 'alice', correlationId: 'c-1', causationId: 'k-1', source: 'web', ip: '10.0.0.1' },
      ),
      'acme',
    );
    const redacted = await t.store.redactEvent(stored.eventId, 'acme', DPO);
    expect(redacted.data).toEqual({ redacted: true });
    expect(redacted.metadata).toEqual({ correlationId: 'c-1', causationId: 'k-1', source: 'web' });
    expect(redacted.isRedacted).toBe(true);
    expect(redacted.redactedAt).toBeInstanceOf(Date);
    const { data: _d, metadata: _m, isRedacted: _i, redactedAt: _r, ...envelope } = stored;
    expect(redacted).toMatchObject(envelope);

    const log = await logRows('acme', stored.eventId);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ reason: DPO.reason, requested_by: 'dpo-1' });
    expect([...log[0].removed_metadata_keys].sort()).toEqual(['ip', 'userId']);

    const again = await t.store.redactEvent(stored.eventId, 'acme', { reason: 'again', requestedBy: 'dpo-2' });
    expect(again).toEqual(redacted);
    expect(await logRows('acme', stored.eventId)).toHaveLength(1);
    expect(await t.store.getEventById('acme', stored.eventId)).toEqual(redacted);
  });

  it("answers another tenant's or an unknown id with not found, and validates the request", async () => {
    const stored = await t.store.appendEvent(event('cust-2', { name: 'Bob' }), 'acme');
    await expect(t.store.redactEvent(stored.eventId, 'globex', DPO)).rejects.toBeInstanceOf(EventNotFoundError);
    expect((await t.store.getEventById('acme', stored.eventId)).data).toEqual({ name: 'Bob' });
    await expect(t.store.redactEvent('00000000-0000-4000-8000-000000000000', 'acme', DPO)).rejects.toBeInstanceOf(EventNotFoundError);
    await expect(t.store.redactEvent(stored.eventId, 'acme', { reason: ' ', requestedBy: 'x' })).rejects.toMatchObject({
      violations: [{ field: 'reason' }],
    });
    await expect(t.store.redactEvent(stored.eventId, 'acme', { reason: 'r' } as never)).rejects.toMatchObject({
      violations: [{ field: 'requestedBy' }],
    });
    await expect(t.store.redactEvent('nope', 'acme', DPO)).rejects.toBeInstanceOf(EventValidationError);
    expect(await logRows('acme', stored.eventId)).toHaveLength(0);
  });

  it('erases a subject by subjectId and subjectIds in one tenant only, idempotently', async () => {
    const linked = await t.store.appendEvents(
      [
        event('cust-3', { note: 'Carol Quokka moved' }, { subjectId: 'subj-carol' }),
        event('cust-3', { note: 'Carol Quokka and Dan' }, { subjectIds: ['subj-dan', 'subj-carol'] }),
        event('cust-4', { note: 'Dan only' }, { subjectIds: ['subj-dan'] }),
        event('cust-4', { note: 'unrelated' }, { subjectId: 'subj-carolyn' }),
      ],
      'acme',
    );
    const other = await t.store.appendEvent(event('cust-3', { note: 'Carol Quokka at globex' }, { subjectId: 'subj-carol' }), 'globex');
    await waitForHorizon(t.database);
    expect((await t.store.queryEvents('acme', { keyword: 'quokka' })).items).toHaveLength(2);

    const result = await t.store.eraseSubject('subj-carol', 'acme', DPO);
    expect(result).toEqual({ subjectId: 'subj-carol', redactedEvents: 2 });
    const after = await t.store.getEventsForAggregate('cust-3', 'acme');
    expect(after.map((e) => e.isRedacted)).toEqual([true, true]);
    expect(after.map((e) => e.metadata)).toEqual([{}, {}]);
    expect((await t.store.getEventById('acme', linked[2].eventId)).isRedacted).toBe(false);
    expect((await t.store.getEventById('acme', linked[3].eventId)).isRedacted).toBe(false);
    expect((await t.store.getEventById('globex', other.eventId)).data).toEqual({ note: 'Carol Quokka at globex' });

    // The redacted text is gone from keyword search; the other tenant still finds its own.
    expect((await t.store.queryEvents('acme', { keyword: 'quokka' })).items).toHaveLength(0);
    expect((await t.store.queryEvents('globex', { keyword: 'quokka' })).items).toHaveLength(1);

    expect(await t.store.eraseSubject('subj-carol', 'acme', DPO)).toEqual({ subjectId: 'subj-carol', redactedEvents: 0 });
    expect(await t.store.eraseSubject('subj-dan', 'acme', DPO)).toEqual({ subjectId: 'subj-dan', redactedEvents: 1 });
    expect(await t.store.eraseSubject('subj-nobody', 'acme', DPO)).toEqual({ subjectId: 'subj-nobody', redactedEvents: 0 });
    const [{ n }] = await t.database.runInTenant('acme', (q) => q.query('SELECT count(*)::int AS n FROM event_store_redactions'));
    expect(n).toBe(1 + 2 + 1);
  });

  it('counts redacted events in the statistics, and the redaction markers as events of the store', async () => {
    const stats = await t.store.getStatistics('acme');
    expect(stats.redactedEvents).toBe(4);
    // 6 appended + one $EventsRedacted marker per redaction that changed something (event, carol, dan).
    expect(stats.totalEvents).toBe(6 + 3);
    expect(stats.byEventType.$EventsRedacted).toBe(3);
    expect((await t.store.getStatistics('globex')).redactedEvents).toBe(0);
  });

  it('keeps a redacted event readable in its stream and in the global order', async () => {
    await waitForHorizon(t.database);
    const [first]: StoredDomainEvent[] = await t.store.getEventsForAggregate('cust-1', 'acme');
    expect(first).toMatchObject({ aggregateVersion: 1, isRedacted: true, data: { redacted: true } });
    const streamed: StoredDomainEvent[] = [];
    for await (const e of t.store.streamEvents({ tenantId: 'acme' })) streamed.push(e);
    expect(streamed.filter((e) => e.isRedacted)).toHaveLength(4);
    // Each marker comes after the events it names.
    for (const marker of streamed.filter((e) => e.eventType === '$EventsRedacted')) {
      const named = (marker.data.events as { eventId: string }[]).map((ref) => streamed.findIndex((e) => e.eventId === ref.eventId));
      expect(Math.max(...named)).toBeLessThan(streamed.indexOf(marker));
    }
  });
});
