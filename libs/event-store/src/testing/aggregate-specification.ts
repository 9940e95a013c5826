import { deepStrictEqual, fail } from 'node:assert/strict';
import { EventSourcedAggregate } from '../aggregates/aggregate-root';
import { AggregateClass } from '../aggregates/aggregate-repository.options';
import { EventData, StoredDomainEvent } from '../types/stored-domain-event';
import { EventMigrationHandler } from '../upcasting/event-migration.handler';

/** A past event of the aggregate under test. */
export interface GivenEvent {
  eventType: string;
  data: EventData;
  /** @default 1 */
  eventVersion?: number;
  /** @default 2026-01-01T00:00:00.000Z plus one second per event */
  occurredAt?: Date;
}

/** An event the command is expected to apply; `eventVersion` is compared only when given. */
export interface ExpectedEvent {
  eventType: string;
  data: EventData;
  eventVersion?: number;
}

/** Options of `given`. */
export interface AggregateSpecificationOptions {
  /** @default 'aggregate-under-test' */
  aggregateId?: string;
  /** Upcasts the given events as a load would. */
  migrations?: EventMigrationHandler;
}

type Command<T> = (aggregate: T) => void;

/** The outcome checks of one given/when specification. */
export interface AggregateOutcome<T> {
  /** Asserts the command applied exactly these events, in order. @returns the aggregate for further checks */
  then(expected: ExpectedEvent[]): T;
  /** Asserts the command threw an instance of `errorClass` (and applied nothing). */
  thenThrows(errorClass: abstract new (...args: never[]) => Error, message?: string | RegExp): void;
}

const BASE_TIME = Date.UTC(2026, 0, 1);

/**
 * Given/when/then for aggregates: replays `events`, runs the command, and
 * checks the uncommitted events it produced or the error it threw.
 *
 * ```ts
 * given(Requirement, [created]).when((r) => r.approve('QA_LEAD')).then([{ eventType: 'RequirementApproved', data: … }]);
 * given(Requirement, [created, rejected]).when((r) => r.approve()).thenThrows(DomainRuleViolationError);
 * ```
 */
export function given<T extends EventSourcedAggregate>(
  aggregateClass: AggregateClass<T>,
  events: GivenEvent[],
  options: AggregateSpecificationOptions = {},
) {
  const build = (): T => {
    const aggregateId = options.aggregateId ?? 'aggregate-under-test';
    const aggregate = new aggregateClass(aggregateId);
    aggregate.replay(events.map((e, i) => toStored(aggregateClass.aggregateType, aggregateId, e, i, options.migrations)));
    return aggregate;
  };
  return {
    /** The command under test. */
    when(command: Command<T>): AggregateOutcome<T> {
      return {
        then(expected) {
          const aggregate = build();
          command(aggregate);
          const actual = aggregate
            .getUncommittedEvents()
            .map((e, i) =>
              expected[i]?.eventVersion === undefined
                ? { eventType: e.eventType, data: e.data }
                : { eventType: e.eventType, data: e.data, eventVersion: e.eventVersion },
            );
          deepStrictEqual(
            actual,
            expected.map((e) => ({ ...e })),
            'the command applied other events than expected',
          );
          return aggregate;
        },
        thenThrows(errorClass, message) {
          const aggregate = build();
          try {
            command(aggregate);
          } catch (error) {
            if (!(error instanceof errorClass)) fail(`expected ${errorClass.name}, got ${String(error)}`);
            if (typeof message === 'string' && error.message !== message) fail(`expected message '${message}', got '${error.message}'`);
            if (message instanceof RegExp && !message.test(error.message))
              fail(`expected message matching ${String(message)}, got '${error.message}'`);
            deepStrictEqual(aggregate.getUncommittedEvents().length, 0, 'a failed command must not leave events behind');
            return;
          }
          fail(`expected ${errorClass.name}, but the command succeeded`);
        },
      };
    },
  };
}

function toStored(
  aggregateType: string,
  aggregateId: string,
  e: GivenEvent,
  index: number,
  migrations?: EventMigrationHandler,
): StoredDomainEvent {
  const occurredAt = e.occurredAt ?? new Date(BASE_TIME + index * 1000);
  const stored: StoredDomainEvent = {
    globalPosition: String(index + 1),
    eventId: `00000000-0000-4000-8000-${String(index + 1).padStart(12, '0')}`,
    tenantId: 'test-tenant',
    aggregateType,
    aggregateId,
    aggregateVersion: index + 1,
    eventType: e.eventType,
    eventVersion: e.eventVersion ?? 1,
    occurredAt,
    storedAt: occurredAt,
    data: e.data,
    metadata: {},
    transactionId: String(index + 1),
    isRedacted: false,
    redactedAt: null,
  };
  return migrations ? migrations.migrateIfNeeded(stored) : stored;
}
