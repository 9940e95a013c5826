import { StoredDomainEvent } from '../types/stored-domain-event';
import { EventSourcedAggregate } from './aggregate-root';
import { AggregateDefinitionError, MissingEventHandlerError, UnknownEventTypeError } from './aggregate.errors';
import { Broken, Ticket, TicketV2 } from './testing-fixtures/ticket.aggregate';

const stored = (aggregateVersion: number, eventType: string, data: Record<string, unknown>): StoredDomainEvent => ({
  globalPosition: String(aggregateVersion),
  eventId: `00000000-0000-4000-8000-00000000000${aggregateVersion}`,
  tenantId: 't',
  aggregateType: 'Ticket',
  aggregateId: 'T-1',
  aggregateVersion,
  eventType,
  eventVersion: 1,
  occurredAt: new Date('2026-01-01T00:00:00Z'),
  storedAt: new Date('2026-01-01T00:00:00Z'),
  data,
  metadata: {},
  transactionId: '1',
  isRedacted: false,
  redactedAt: null,
});

describe('EventSourcedAggregate', () => {
  it('records applied events as uncommitted and mutates state through on<EventType>', () => {
    const ticket = new Ticket('T-1');
    ticket.open('Login fails');
    ticket.comment('repro attached');
    expect(ticket.title).toBe('Login fails');
    expect(ticket.comments).toEqual(['repro attached']);
    expect(ticket.getUncommittedEvents().map((e) => [e.eventType, e.data])).toEqual([
      ['TicketOpened', { title: 'Login fails' }],
      ['TicketCommented', { text: 'repro attached' }],
    ]);
    expect(ticket.getUncommittedEvents()[0].eventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(ticket.version).toBe(0);
    expect(ticket.currentVersion).toBe(2);
  });

  it('markCommitted clears the uncommitted events and moves the persisted version', () => {
    const ticket = new Ticket('T-1');
    ticket.open('a');
    ticket.markCommitted();
    expect(ticket.getUncommittedEvents()).toEqual([]);
    expect(ticket.version).toBe(1);
    ticket.close();
    ticket.markCommitted(7);
    expect(ticket.version).toBe(7);
  });

  it('replays stored events without recording them', () => {
    const ticket = new Ticket('T-1');
    ticket.replay([stored(1, 'TicketOpened', { title: 'x' }), stored(2, 'TicketClosed', {})]);
    expect(ticket.closed).toBe(true);
    expect(ticket.version).toBe(2);
    expect(ticket.getUncommittedEvents()).toHaveLength(0);
    expect(ticket.openedAt).toEqual(new Date('2026-01-01T00:00:00Z'));
  });

  it('declares its on<EventType> handlers as its event types, inherited ones included', () => {
    expect(EventSourcedAggregate.declaredEventTypes(Ticket).sort()).toEqual(['TicketClosed', 'TicketCommented', 'TicketOpened']);
    expect(EventSourcedAggregate.declaredEventTypes(TicketV2).sort()).toEqual(['TicketClosed', 'TicketCommented', 'TicketOpened']);
    expect(EventSourcedAggregate.declaredEventTypes(Broken)).toEqual([]);
  });

  it.each([['Bogus'], ['constructor'], ['toString'], ['__proto__'], ['hasOwnProperty']])(
    'throws UnknownEventTypeError naming the event when a replayed stream holds %s',
    (eventType) => {
      const ticket = new Ticket('T-1');
      const error = (() => {
        try {
          ticket.replay([stored(1, 'TicketOpened', { title: 'x' }), stored(2, eventType, {})]);
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(UnknownEventTypeError);
      expect(error).toMatchObject({
        code: 'UNKNOWN_EVENT_TYPE',
        aggregateType: 'Ticket',
        aggregateId: 'T-1',
        eventType,
        aggregateVersion: 2,
      });
      expect(ticket.version).toBe(1);
    },
  );

  it('does not take a non-handler member named like one (a getter) for a handler', () => {
    class Odd extends Ticket {
      get onOddThing(): () => void {
        return () => undefined;
      }
    }
    expect(EventSourcedAggregate.declaredEventTypes(Odd)).not.toContain('OddThing');
    expect(() => new Odd('O-1').replay([stored(1, 'OddThing', {})])).toThrow(UnknownEventTypeError);
  });

  it('refuses a replay with a hole in the history', () => {
    const ticket = new Ticket('T-1');
    expect(() => ticket.replay([stored(1, 'TicketOpened', { title: 'x' }), stored(3, 'TicketClosed', {})])).toThrow(
      AggregateDefinitionError,
    );
  });

  it('throws MissingEventHandlerError for an event type without handler, recording nothing', () => {
    const broken = new Broken('B-1');
    expect(() => broken.happen()).toThrow(MissingEventHandlerError);
    expect(broken.getUncommittedEvents()).toHaveLength(0);
  });

  it('round-trips state through toSnapshot / restoreSnapshot', () => {
    const ticket = new Ticket('T-1');
    ticket.open('x');
    ticket.comment('c');
    const copy = new Ticket('T-1');
    copy.restoreSnapshot(ticket.toSnapshot(), 2);
    expect(copy.toSnapshot()).toEqual({ title: 'x', comments: ['c'], closed: false });
    expect(copy.version).toBe(2);
  });

  it('refuses snapshots when the subclass does not implement them', () => {
    expect(() => new Broken('B-1').toSnapshot()).toThrow(AggregateDefinitionError);
  });

  it('exposes the static aggregate type and snapshot schema version on the instance', () => {
    const ticket = new Ticket('T-1');
    expect(ticket.aggregateType).toBe('Ticket');
    expect(ticket.snapshotSchemaVersion).toBe(1);
  });
});
