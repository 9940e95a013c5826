import { deepStrictEqual, fail } from 'node:assert/strict';
import { Reflector } from '@nestjs/core';
import { EventData, StoredDomainEvent } from '../types/stored-domain-event';
import { EventMigrationRegistrationError } from '../upcasting/event-migration.error';
import { EventMigrationHandler } from '../upcasting/event-migration.handler';
import { EventUpcaster, EventUpcasterHandler, EventUpcasterOptions } from '../upcasting/event-upcaster.decorator';
import { SpecificationEvent, errorMismatch, toSpecificationEvent } from './specification-events';

/** An `@EventUpcaster` class with a constructor without arguments, or an instance of one. */
export type UpcasterUnderTest = (new () => EventUpcasterHandler) | EventUpcasterHandler;

/** What the upcast event is expected to be; `eventVersion` is compared only when given. */
export interface ExpectedUpcast {
  data: EventData;
  eventVersion?: number;
}

/** The outcome checks of one given/when upcaster specification. */
export interface UpcastOutcome {
  /**
   * Asserts the event upcasts to `expected`, and to the same result a second
   * time (a migration must be deterministic: no clock, no randomness).
   * @returns the upcast event for further checks
   */
  then(expected: ExpectedUpcast): StoredDomainEvent;
  /** Asserts upcasting throws an instance of `errorClass` (the store wraps a step's error in EventMigrationFailedError). */
  thenThrows(errorClass: abstract new (...args: never[]) => Error, message?: string | RegExp): void;
}

/**
 * Given/when/then for upcasters: builds a stored event at an old version,
 * upcasts it the way reads do (each step on its own copy of the payload,
 * with a frozen view of the event), and checks the result.
 *
 * ```ts
 * givenStoredEvent({ eventType: 'RequirementApproved', eventVersion: 1, data: { approvedBy: 'u1' } })
 *   .whenUpcast(RequirementApprovedV1ToV2, RequirementApprovedV2ToV3)
 *   .then({ eventVersion: 3, data: { approvedBy: 'u1', approverRole: 'REVIEWER', approvalTimestamp: '2026-01-01T00:00:00.000Z' } });
 * ```
 */
export function givenStoredEvent(event: SpecificationEvent) {
  // A fresh event per upcast, so that two upcasts share nothing.
  const stored = () => toSpecificationEvent(structuredCopy(event), 0, { aggregateType: 'Test', aggregateId: 'aggregate-under-test' });
  return {
    /**
     * The upcasters under test: `@EventUpcaster` classes or instances, or an
     * EventMigrationHandler with the steps registered already.
     * @throws EventMigrationRegistrationError when a step is not decorated, or the steps do not fit together
     */
    whenUpcast(...upcasters: UpcasterUnderTest[] | [EventMigrationHandler]): UpcastOutcome {
      const migrations = toMigrations(upcasters);
      const upcast = () => migrations.migrateIfNeeded(stored());
      return {
        then(expected) {
          const first = upcast();
          const actual =
            expected.eventVersion === undefined ? { data: first.data } : { data: first.data, eventVersion: first.eventVersion };
          deepStrictEqual(actual, { ...expected }, 'the upcast event differs from the expected one');
          deepStrictEqual(upcast().data, first.data, 'upcasting the same event twice gave two results: a migration must be deterministic');
          return first;
        },
        thenThrows(errorClass, message) {
          try {
            upcast();
          } catch (error) {
            const mismatch = errorMismatch(error, errorClass, message);
            if (mismatch) fail(mismatch);
            return;
          }
          fail(`expected ${errorClass.name}, but the event upcast without error`);
        },
      };
    },
  };
}

function toMigrations(upcasters: UpcasterUnderTest[] | [EventMigrationHandler]): EventMigrationHandler {
  if (upcasters.length === 1 && upcasters[0] instanceof EventMigrationHandler) return upcasters[0];
  const migrations = new EventMigrationHandler();
  for (const upcaster of upcasters as UpcasterUnderTest[]) {
    const instance = typeof upcaster === 'function' ? new upcaster() : upcaster;
    const options = upcasterOptions(instance);
    migrations.registerMigration(options.eventType, options.fromVersion, options.toVersion, (data, event) => instance.upcast(data, event));
  }
  return migrations;
}

function upcasterOptions(instance: EventUpcasterHandler): EventUpcasterOptions {
  const options = new Reflector().get<EventUpcasterOptions | undefined>(EventUpcaster.KEY, instance.constructor);
  if (!options || typeof instance.upcast !== 'function') {
    const name = instance.constructor.name;
    throw new EventMigrationRegistrationError(
      name,
      `${name} needs @EventUpcaster({ eventType, fromVersion, toVersion }) and an upcast(data, event) method`,
    );
  }
  return options;
}

/** A deep copy made of this realm's objects (structuredClone's would fail strict equality under Jest's VM contexts). */
function structuredCopy(event: SpecificationEvent): SpecificationEvent {
  return { ...event, data: JSON.parse(JSON.stringify(event.data)) as EventData };
}
