import { EventNotFoundError } from '../errors/event-not-found.error';
import { StreamNotFoundError } from '../errors/stream-not-found.error';
import { EventValidationError } from '../errors/event-validation.error';
import { OperationNotAllowedError } from '../errors/operation-not-allowed.error';
import { describeEachBackend } from '../testing/describe-each-backend';
import { TestStore, openTestStore } from '../testing/test-store';
import { waitForHorizon } from '../testing/wait-for-horizon';
import { NewDomainEvent, StoredDomainEvent } from '../types/stored-domain-event';

const event = (aggregateType: string, aggregateId: string, eventType: string, occurredAt: string): NewDomainEvent => ({
  aggregateType,
  aggregateId,
  eventType,
  occurredAt,
  data: { at: occurredAt },
});

describeEachBackend('statistics, reads and tenant purge', (mode) => {
  let t: TestStore;
  let acme: StoredDomainEvent[];
  let globex: StoredDomainEvent[];
  beforeAll(async () => {
    t = await openTestStore(mode);
    acme = await t.store.appendEvents(
      [
        event('Order', 'o-1', 'OrderPlaced', '2026-02-01T00:00:00Z'),
        event('Order', 'o-1', 'OrderShipped', '2026-02-03T00:00:00Z'),
        event('Order', 'o-2', 'OrderPlaced', '2026-02-02T00:00:00Z'),
        event('Invoice', 'i-1', 'InvoiceIssued', '2026-02-04T00:00:00Z'),
      ],
      'acme',
    );
    globex = await t.store.appendEvents([event('Order', 'o-1', 'OrderPlaced', '2025-01-01T00:00:00Z')], 'globex');
    await t.store.recordSnapshot('o-1', 'globex', { aggregateType: 'Order', version: 1, state: {} });
    await waitForHorizon(t.database);
  });
  afterAll(() => t?.close());

  it('counts per tenant, by event type and aggregate type, with first and last occurrence', async () => {
    expect(await t.store.getStatistics('acme')).toEqual({
      totalEvents: 4,
      redactedEvents: 0,
      byEventType: { OrderPlaced: 2, OrderShipped: 1, InvoiceIssued: 1 },
      byAggregateType: { Order: 3, Invoice: 1 },
      firstEventAt: new Date('2026-02-01T00:00:00Z'),
      lastEventAt: new Date('2026-02-04T00:00:00Z'),
    });
    expect(await t.store.getStatistics('nobody')).toEqual({
      totalEvents: 0,
      redactedEvents: 0,
      byEventType: {},
      byAggregateType: {},
      firstEventAt: null,
      lastEventAt: null,
    });
  });

  it('counts only the events that occurred in a date range (from inclusive, to exclusive)', async () => {
    expect(await t.store.getStatistics('acme', { from: new Date('2026-02-02T00:00:00Z'), to: new Date('2026-02-04T00:00:00Z') })).toEqual({
      totalEvents: 2,
      redactedEvents: 0,
      byEventType: { OrderPlaced: 1, OrderShipped: 1 },
      byAggregateType: { Order: 2 },
      firstEventAt: new Date('2026-02-02T00:00:00Z'),
      lastEventAt: new Date('2026-02-03T00:00:00Z'),
    });
    expect((await t.store.getStatistics('acme', { from: new Date('2026-02-03T00:00:00Z') })).byEventType).toEqual({
      OrderShipped: 1,
      InvoiceIssued: 1,
    });
    expect((await t.store.getStatistics('acme', { to: new Date('2026-02-02T00:00:00Z') })).totalEvents).toBe(1);
    // Another tenant's events in the same range never count.
    expect((await t.store.getStatistics('globex', { from: new Date('2026-01-01T00:00:00Z') })).totalEvents).toBe(0);
  });

  it('rejects a bad date range naming the field', async () => {
    await expect(t.store.getStatistics('acme', { from: new Date('nope') })).rejects.toMatchObject({
      violations: [{ field: 'range.from', reason: 'must be a valid date' }],
    });
    await expect(t.store.getStatistics('acme', { to: '2026-01-01' as unknown as Date })).rejects.toMatchObject({
      violations: [{ field: 'range.to', reason: 'must be a valid date' }],
    });
    await expect(
      t.store.getStatistics('acme', { from: new Date('2026-02-02T00:00:00Z'), to: new Date('2026-02-01T00:00:00Z') }),
    ).rejects.toMatchObject({ violations: [{ field: 'range.to', reason: 'must be after from' }] });
    await expect(t.store.getStatistics('acme', { since: new Date() } as never)).rejects.toBeInstanceOf(EventValidationError);
  });

  it('getEventsSince a position (exclusive) or a date (inclusive, by occurrence)', async () => {
    const ids = (events: StoredDomainEvent[]) => events.map((e) => e.eventId);
    expect(ids(await t.store.getEventsSince('acme', { position: acme[1].globalPosition }))).toEqual(ids(acme.slice(2)));
    expect(ids(await t.store.getEventsSince('acme', { position: 0 }))).toEqual(ids(acme));
    expect(ids(await t.store.getEventsSince('acme', { position: 0 }, { limit: 2 }))).toEqual(ids(acme.slice(0, 2)));
    expect(ids(await t.store.getEventsSince('acme', new Date('2026-02-02T00:00:00Z')))).toEqual(ids([acme[2], acme[1], acme[3]]));
    expect(await t.store.getEventsSince('acme', new Date('2027-01-01T00:00:00Z'))).toEqual([]);
    expect(ids(await t.store.getEventsSince('globex', { position: 0 }))).toEqual(ids(globex));
  });

  it('getEventsByType and getEventsByAggregateType stay in the tenant', async () => {
    expect((await t.store.getEventsByType('acme', 'OrderPlaced')).map((e) => e.aggregateId)).toEqual(['o-1', 'o-2']);
    expect((await t.store.getEventsByType('acme', 'OrderPlaced', { limit: 1 })).map((e) => e.aggregateId)).toEqual(['o-1']);
    expect((await t.store.getEventsByAggregateType('acme', 'Invoice')).map((e) => e.eventType)).toEqual(['InvoiceIssued']);
    expect((await t.store.getEventsByAggregateType('globex', 'Order')).map((e) => e.eventId)).toEqual([globex[0].eventId]);
    expect(await t.store.getEventsByType('acme', 'Unknown')).toEqual([]);
  });

  it("getEventById finds the tenant's event and answers another tenant's id with not found", async () => {
    expect(await t.store.getEventById('acme', acme[0].eventId)).toMatchObject({
      eventId: acme[0].eventId,
      aggregateVersion: 1,
      data: { at: '2026-02-01T00:00:00Z' },
    });
    await expect(t.store.getEventById('acme', globex[0].eventId)).rejects.toBeInstanceOf(EventNotFoundError);
    await expect(t.store.getEventById('acme', '00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({ code: 'EVENT_NOT_FOUND' });
  });

  it('getStream returns the head and events, and not found for another tenant', async () => {
    expect(await t.store.getStream('o-1', 'acme', { fromVersion: 2 })).toMatchObject({
      aggregateId: 'o-1',
      aggregateType: 'Order',
      version: 2,
      events: [{ aggregateVersion: 2 }],
    });
    await expect(t.store.getStream('i-1', 'globex')).rejects.toBeInstanceOf(StreamNotFoundError);
  });

  it('clearTenantEvents deletes everything of one tenant only', async () => {
    expect(await t.store.clearTenantEvents('globex')).toEqual({ deletedEvents: 1 });
    expect((await t.store.getStatistics('globex')).totalEvents).toBe(0);
    expect(await t.store.getLatestSnapshot('o-1', 'globex')).toBeNull();
    await expect(t.store.getStream('o-1', 'globex')).rejects.toBeInstanceOf(StreamNotFoundError);
    expect((await t.store.getStatistics('acme')).totalEvents).toBe(4);
    // The tenant can start over from version 1.
    const again = await t.store.appendEvent(event('Order', 'o-1', 'OrderPlaced', '2026-03-01T00:00:00Z'), 'globex', {
      expectedVersion: 'no_stream',
    });
    expect(again.aggregateVersion).toBe(1);
  });
});

// The refusal needs a store configured without the purge (the test default enables it).
describeEachBackend(
  'clearTenantEvents when not enabled',
  (mode) => {
    let t: TestStore;
    beforeAll(async () => {
      t = await openTestStore(mode, { allowTenantPurge: false });
    });
    afterAll(() => t?.close());

    it('is refused with OperationNotAllowedError and deletes nothing', async () => {
      await t.store.appendEvent(event('Order', 'o-1', 'OrderPlaced', '2026-02-01T00:00:00Z'), 'acme');
      await expect(t.store.clearTenantEvents('acme')).rejects.toBeInstanceOf(OperationNotAllowedError);
      await expect(t.store.clearTenantEvents('acme')).rejects.toMatchObject({
        code: 'OPERATION_NOT_ALLOWED',
        message: expect.stringMatching(/allowTenantPurge/),
      });
      expect((await t.store.getStatistics('acme')).totalEvents).toBe(1);
    });
  },
  ['server'],
);
