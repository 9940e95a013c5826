import 'reflect-metadata';
import { AssertionError } from 'node:assert';
import { givenStoredEvent } from '../testing/upcaster-specification';
import { EventData, StoredDomainEvent } from '../types/stored-domain-event';
import { EventMigrationFailedError, EventMigrationRegistrationError } from './event-migration.error';
import { EventMigrationHandler } from './event-migration.handler';
import { EventUpcaster, EventUpcasterHandler } from './event-upcaster.decorator';

@EventUpcaster({ eventType: 'TicketOpened', fromVersion: 1, toVersion: 2 })
class TicketOpenedV1ToV2 implements EventUpcasterHandler {
  upcast(data: EventData): EventData {
    return { ...data, priority: data.priority ?? 'normal' };
  }
}

@EventUpcaster({ eventType: 'TicketOpened', fromVersion: 2, toVersion: 3 })
class TicketOpenedV2ToV3 implements EventUpcasterHandler {
  upcast(data: EventData, event: Readonly<StoredDomainEvent>): EventData {
    return { ...data, openedAt: event.occurredAt.toISOString() };
  }
}

/** Counts its calls into the payload: a stand-in for a clock or a random value. */
@EventUpcaster({ eventType: 'TicketOpened', fromVersion: 1, toVersion: 2 })
class CountingTicketOpened implements EventUpcasterHandler {
  private calls = 0;
  upcast(data: EventData): EventData {
    return { ...data, call: ++this.calls };
  }
}

@EventUpcaster({ eventType: 'TicketOpened', fromVersion: 1, toVersion: 2 })
class FailingTicketOpened implements EventUpcasterHandler {
  upcast(): EventData {
    throw new Error('no title');
  }
}

class UndecoratedUpcaster implements EventUpcasterHandler {
  upcast(data: EventData): EventData {
    return data;
  }
}

const openedV1 = { eventType: 'TicketOpened', eventVersion: 1, data: { title: 'x' }, occurredAt: new Date('2026-02-03T04:05:06.000Z') };

describe('given/when/then for upcasters', () => {
  it('passes when the chain lifts the event to the expected version and payload', () => {
    const event = givenStoredEvent(openedV1)
      .whenUpcast(TicketOpenedV1ToV2, TicketOpenedV2ToV3)
      .then({ eventVersion: 3, data: { title: 'x', priority: 'normal', openedAt: '2026-02-03T04:05:06.000Z' } });
    expect(event.eventType).toBe('TicketOpened');
  });

  it('takes upcaster instances or a prepared EventMigrationHandler as well as classes', () => {
    givenStoredEvent(openedV1)
      .whenUpcast(new TicketOpenedV1ToV2())
      .then({ eventVersion: 2, data: { title: 'x', priority: 'normal' } });
    const migrations = new EventMigrationHandler();
    migrations.registerMigration('TicketOpened', 1, 2, (data) => ({ ...data, priority: 'high' }));
    givenStoredEvent(openedV1)
      .whenUpcast(migrations)
      .then({ data: { title: 'x', priority: 'high' } });
  });

  it('leaves an event at the latest version as it is', () => {
    givenStoredEvent({ ...openedV1, eventVersion: 2, data: { title: 'x', priority: 'low' } })
      .whenUpcast(TicketOpenedV1ToV2)
      .then({ eventVersion: 2, data: { title: 'x', priority: 'low' } });
  });

  it('fails when the payload or the version differs', () => {
    expect(() =>
      givenStoredEvent(openedV1)
        .whenUpcast(TicketOpenedV1ToV2)
        .then({ data: { title: 'x', priority: 'high' } }),
    ).toThrow(AssertionError);
    expect(() =>
      givenStoredEvent(openedV1)
        .whenUpcast(TicketOpenedV1ToV2)
        .then({ eventVersion: 3, data: { title: 'x', priority: 'normal' } }),
    ).toThrow(AssertionError);
  });

  it('fails on an upcaster that gives another result each time', () => {
    // The first upcast matches; the second gives another payload.
    expect(() =>
      givenStoredEvent(openedV1)
        .whenUpcast(new CountingTicketOpened())
        .then({ data: { title: 'x', call: 1 } }),
    ).toThrow(/deterministic/);
  });

  it('passes thenThrows on the expected error and fails otherwise', () => {
    givenStoredEvent(openedV1)
      .whenUpcast(FailingTicketOpened)
      .thenThrows(EventMigrationFailedError, /no title/);
    expect(() => givenStoredEvent(openedV1).whenUpcast(TicketOpenedV1ToV2).thenThrows(EventMigrationFailedError)).toThrow(AssertionError);
    expect(() => givenStoredEvent(openedV1).whenUpcast(FailingTicketOpened).thenThrows(RangeError)).toThrow(AssertionError);
  });

  it('refuses an upcaster without @EventUpcaster, and steps that do not fit together', () => {
    expect(() => givenStoredEvent(openedV1).whenUpcast(UndecoratedUpcaster)).toThrow(EventMigrationRegistrationError);
    expect(() => givenStoredEvent(openedV1).whenUpcast(TicketOpenedV1ToV2, CountingTicketOpened)).toThrow(EventMigrationRegistrationError);
  });
});
