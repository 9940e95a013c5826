import { deepStrictEqual, fail } from 'node:assert/strict';
import { EventSourcedAggregate } from '../aggregates/aggregate-root';
import { AggregateClass } from '../aggregates/aggregate-repository.options';
import { EventData } from '../types/stored-domain-event';
import { EventMigrationHandler } from '../upcasting/event-migration.handler';
import { GivenEvent, errorMismatch, toSpecificationEvent } from './specification-events';

export type { GivenEvent } from './specification-events';

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
    const defaults = { aggregateType: aggregateClass.aggregateType, aggregateId };
    aggregate.replay(events.map((e, i) => toSpecificationEvent(e, i, defaults, options.migrations)));
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
            const mismatch = errorMismatch(error, errorClass, message);
            if (mismatch) fail(mismatch);
            deepStrictEqual(aggregate.getUncommittedEvents().length, 0, 'a failed command must not leave events behind');
            return;
          }
          fail(`expected ${errorClass.name}, but the command succeeded`);
        },
      };
    },
  };
}
