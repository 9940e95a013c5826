import { AssertionError } from 'node:assert';
import { given } from '../testing/aggregate-specification';
import { EventMigrationHandler } from '../upcasting/event-migration.handler';
import { Ticket, TicketClosedError } from './testing-fixtures/ticket.aggregate';

const opened = { eventType: 'TicketOpened', data: { title: 'x' } };
const closed = { eventType: 'TicketClosed', data: {} };

describe('given/when/then for aggregates', () => {
  it('passes when the command applies exactly the expected events', () => {
    const ticket = given(Ticket, [opened])
      .when((t) => t.comment('hi'))
      .then([{ eventType: 'TicketCommented', data: { text: 'hi' } }]);
    expect(ticket.comments).toEqual(['hi']);
  });

  it('fails when the events differ', () => {
    expect(() =>
      given(Ticket, [opened])
        .when((t) => t.comment('hi'))
        .then([{ eventType: 'TicketCommented', data: { text: 'other' } }]),
    ).toThrow(AssertionError);
    expect(() =>
      given(Ticket, [opened])
        .when((t) => t.comment('hi'))
        .then([]),
    ).toThrow(AssertionError);
  });

  it('passes thenThrows on the expected error and fails otherwise', () => {
    given(Ticket, [opened, closed])
      .when((t) => t.close())
      .thenThrows(TicketClosedError, /is closed/);
    expect(() =>
      given(Ticket, [opened])
        .when((t) => t.close())
        .thenThrows(TicketClosedError),
    ).toThrow(AssertionError);
    expect(() =>
      given(Ticket, [opened, closed])
        .when((t) => t.close())
        .thenThrows(RangeError),
    ).toThrow(AssertionError);
    expect(() =>
      given(Ticket, [opened, closed])
        .when((t) => t.close())
        .thenThrows(TicketClosedError, 'nope'),
    ).toThrow(AssertionError);
  });

  it('upcasts the given events when migrations are passed', () => {
    const migrations = new EventMigrationHandler();
    migrations.registerMigration('TicketOpened', 1, 2, (data) => ({ ...data, title: `${String(data.title)} (v2)` }));
    const ticket = given(Ticket, [opened], { migrations })
      .when(() => undefined)
      .then([]);
    expect(ticket.title).toBe('x (v2)');
    expect(ticket.version).toBe(1);
  });
});
