import { AggregateRepository } from '../aggregates/aggregate-repository';
import { UnknownEventTypeError } from '../aggregates/aggregate.errors';
import { Ticket } from '../aggregates/testing-fixtures/ticket.aggregate';
import { EventValidationError } from '../errors/event-validation.error';
import { describeEachBackend } from '../testing/describe-each-backend';
import { TestStore, openTestStore } from '../testing/test-store';
import { NewDomainEvent } from '../types/stored-domain-event';

// Issue 7 at the library level: input that used to fail in PostgreSQL (or in
// a recursive walk) is an EventValidationError naming the field, and nothing is written.
const event = (extra: Record<string, unknown> = {}): NewDomainEvent =>
  ({ aggregateType: 'Order', aggregateId: 'o-1', eventType: 'OrderPlaced', data: { n: 1 }, ...extra }) as NewDomainEvent;
const nest = (levels: number): Record<string, unknown> => {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = { a: value };
  return value as Record<string, unknown>;
};

describeEachBackend('input hardening', (mode) => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore(mode);
  });
  afterAll(() => t?.close());

  const COUNT_SQL = 'SELECT count(*)::int AS n FROM stored_domain_events';
  const storedCount = async (): Promise<number> => (await t.database.dataSource.query(COUNT_SQL))[0].n;
  const fieldsOf = async (work: () => Promise<unknown>): Promise<string[]> => {
    const error = await work().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(EventValidationError);
    return (error as EventValidationError).violations.map((v) => v.field);
  };
  /** Asserts the append fails naming `field` and writes nothing. */
  const rejects = async (field: string, events: NewDomainEvent[]): Promise<void> => {
    const before = await storedCount();
    expect(await fieldsOf(() => t.store.appendEvents(events, 'acme'))).toContain(field);
    expect(await storedCount()).toBe(before);
  };

  describe('appendEvents', () => {
    it('rejects lone surrogates in data, metadata, their keys and the aggregate id, naming the path', async () => {
      await rejects('events[0].data.title', [event({ data: { title: 'a\ud800' } })]);
      await rejects('events[0].data.list[1]', [event({ data: { list: ['ok', '\udc00'] } })]);
      await rejects('events[0].data["\\ud800"]', [event({ data: { '\ud800': 1 } })]);
      await rejects('events[1].metadata.source', [event(), event({ metadata: { source: '\udbff' } })]);
      await rejects('events[0].aggregateId', [event({ aggregateId: 'o-\ud800' })]);
    });

    it('accepts paired surrogates and the escaped text "\\ud800"', async () => {
      const stored = await t.store.appendEvent(event({ aggregateId: 'o-emoji', data: { text: '😀 \\ud800' } }), 'acme');
      expect(stored.data).toEqual({ text: '😀 \\ud800' });
    });

    it('rejects data or metadata nested deeper than 100 levels, and accepts 100', async () => {
      await rejects('events[0].data', [event({ data: nest(101) })]);
      await rejects('events[0].metadata', [event({ metadata: nest(101) })]);
      await rejects('events[0].data', [event({ data: nest(20_000) })]);
      await t.store.appendEvent(event({ aggregateId: 'o-deep', data: nest(100) }), 'acme');
    });

    it('rejects subject ids that are not strings of 1-200 characters, and subjectIds that are not an array of them', async () => {
      for (const subjectId of [42, ['s'], { id: 's' }, '', 's'.repeat(201)])
        await rejects('events[0].metadata.subjectId', [event({ metadata: { subjectId } })]);
      await rejects('events[0].metadata.subjectIds', [event({ metadata: { subjectIds: 's' } })]);
      await rejects('events[0].metadata.subjectIds[0]', [event({ metadata: { subjectIds: [7] } })]);
    });

    it('rejects an event type that a declared aggregate type does not have, leaving other types free', async () => {
      t.store.declareEventTypes('Invoice', ['InvoiceIssued', 'InvoicePaid']);
      const invoice = (eventType: string) => event({ aggregateType: 'Invoice', aggregateId: 'inv-1', eventType });
      await rejects('events[1].eventType', [invoice('InvoiceIssued'), invoice('constructor')]);
      await t.store.appendEvents([invoice('InvoiceIssued'), invoice('InvoicePaid')], 'acme');
      await t.store.appendEvent(event({ aggregateId: 'o-free', eventType: 'AnythingGoes' }), 'acme');
      expect([...t.store.getDeclaredEventTypes('Invoice')!]).toEqual(['InvoiceIssued', 'InvoicePaid']);
      expect(t.store.getDeclaredEventTypes('Order')).toBeUndefined();
      expect(() => t.store.declareEventTypes('Invoice', ['9bad'])).toThrow(EventValidationError);
    });

    it('rejects an expectedVersion beyond int4', async () => {
      expect(await fieldsOf(() => t.store.appendEvents([event()], 'acme', { expectedVersion: 2 ** 31 }))).toEqual([
        'options.expectedVersion',
      ]);
    });
  });

  describe('reads', () => {
    const cursor = (t: string, p: string) => Buffer.from(JSON.stringify({ t, p, o: 'asc' })).toString('base64url');

    it('rejects cursors and checkpoints whose numbers do not fit bigint', async () => {
      for (const c of [cursor('1', '9223372036854775808'), cursor('18446744073709551616', '1'), cursor('9223372036854775808', '1')]) {
        expect(await fieldsOf(() => t.store.queryEvents('acme', {}, { cursor: c }))).toEqual(['cursor']);
      }
      const stream = (after: { transactionId: string; globalPosition: string }) => async () => {
        for await (const e of t.store.streamEvents({ tenantId: 'acme', after })) void e;
      };
      expect(await fieldsOf(stream({ transactionId: '18446744073709551616', globalPosition: '1' }))).toEqual(['after']);
      expect(await fieldsOf(stream({ transactionId: '1', globalPosition: '9223372036854775808' }))).toEqual(['after']);
    });

    it('rejects versions beyond int4 in ranges and snapshots', async () => {
      const big = 2 ** 31;
      expect(await fieldsOf(() => t.store.getEventsForAggregate('o-1', 'acme', { fromVersion: big }))).toContain('fromVersion');
      expect(await fieldsOf(() => t.store.getEventsForAggregate('o-1', 'acme', { toVersion: big }))).toEqual(['toVersion']);
      expect(await fieldsOf(() => t.store.getLatestSnapshot('o-1', 'acme', { maxVersion: big }))).toEqual(['maxVersion']);
      expect(await fieldsOf(() => t.store.recordSnapshot('o-1', 'acme', { aggregateType: 'Order', version: big, state: {} }))).toEqual([
        'version',
      ]);
    });

    it('rejects a redaction or erasure request whose reason or requester is not valid Unicode', async () => {
      const stored = await t.store.appendEvent(event({ aggregateId: 'o-redact' }), 'acme');
      expect(await fieldsOf(() => t.store.redactEvent(stored.eventId, 'acme', { reason: 'r\ud800', requestedBy: 'dpo' }))).toEqual([
        'reason',
      ]);
      expect(await fieldsOf(() => t.store.eraseSubject('s-1', 'acme', { reason: 'r', requestedBy: '\udc00' }))).toEqual(['requestedBy']);
      expect(await fieldsOf(() => t.store.eraseSubject('s-\ud800', 'acme', { reason: 'r', requestedBy: 'dpo' }))).toEqual(['subjectId']);
      expect((await t.store.getEventById('acme', stored.eventId)).isRedacted).toBe(false);
    });

    it('maps what PostgreSQL still refuses (invalid JSON text, numbers out of range) to EventValidationError', async () => {
      expect(await fieldsOf(() => t.database.query('SELECT $1::jsonb', ['{"a":"\\ud800"}'], 'test'))).toEqual(['data']);
      expect(await fieldsOf(() => t.database.query('SELECT $1::bigint', ['9223372036854775808'], 'test'))).toEqual(['parameters']);
    });
  });

  describe('aggregate repositories', () => {
    it('declare their handlers, and loading a stream written before with an unknown event throws UnknownEventTypeError', async () => {
      await t.store.appendEvents(
        [
          { aggregateType: 'Ticket', aggregateId: 'T-poison', eventType: 'TicketOpened', data: { title: 'x' } },
          { aggregateType: 'Ticket', aggregateId: 'T-poison', eventType: 'toString', data: {} },
        ],
        'acme',
      );
      const tickets = new AggregateRepository(t.store, t.migrations, Ticket);
      await expect(tickets.load('acme', 'T-poison')).rejects.toMatchObject({
        constructor: UnknownEventTypeError,
        eventType: 'toString',
        aggregateVersion: 2,
      });
      expect(
        await fieldsOf(() =>
          t.store.appendEvent({ aggregateType: 'Ticket', aggregateId: 'T-new', eventType: 'toString', data: {} }, 'acme'),
        ),
      ).toEqual(['events[0].eventType']);
      expect([...t.store.getDeclaredEventTypes('Ticket')!].sort()).toEqual(['TicketClosed', 'TicketCommented', 'TicketOpened']);
    });

    it('reject a time-travel version beyond int4', async () => {
      const tickets = new AggregateRepository(t.store, t.migrations, Ticket);
      expect(await fieldsOf(() => tickets.loadAt('acme', 'T-poison', { version: 2 ** 31 }))).toEqual(['version']);
    });
  });
});
