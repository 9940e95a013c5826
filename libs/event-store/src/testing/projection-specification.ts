import { deepStrictEqual, fail } from 'node:assert/strict';
import { Reflector } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { EventProjection, EventProjectionOptions } from '../projections/event-projection.decorator';
import { ProjectionHandler, ProjectionTransaction } from '../projections/projection-handler';
import { toCheckpointTransaction } from '../subscriptions/checkpoint-transaction';
import { EventsRedacted } from '../types/redaction';
import { StoredDomainEvent } from '../types/stored-domain-event';
import { EventMigrationHandler } from '../upcasting/event-migration.handler';
import { SpecificationEvent, errorMismatch, toSpecificationEvent } from './specification-events';

/** Options of `projectionSpecification`. */
export interface ProjectionSpecificationOptions {
  /** Tenant of events that name none. @default the projection's `tenantId`, else 'test-tenant' */
  tenantId?: string;
  /** Aggregate type of events that name none. @default 'Test' */
  aggregateType?: string;
  /** Upcasts the events as delivery would. */
  migrations?: EventMigrationHandler;
}

/** The outcome checks of one given/when projection specification (each resolves once checked). */
export interface ProjectionOutcome {
  /** Runs `check` against the read model, in the specification's transaction, after the `when` step. */
  then(check: (tx: ProjectionTransaction) => Promise<void> | void): Promise<void>;
  /** Asserts that `sql` returns exactly `expected` (deep equality, in order) after the `when` step. */
  thenRows(sql: string, expected: Record<string, unknown>[], parameters?: unknown[]): Promise<void>;
  /** Asserts the `when` step throws an instance of `errorClass` (the given events must apply). */
  thenThrows(errorClass: abstract new (...args: never[]) => Error, message?: string | RegExp): Promise<void>;
}

type Step = (handler: ProjectionHandler, tx: ProjectionTransaction) => Promise<void>;

/**
 * Given/when/then for projections, against a real database: in one
 * transaction that is rolled back at the end, it resets the read model,
 * applies the given events, then the `when` step (more events, or a
 * redaction), and checks the read model or the error. Events the projection
 * would not be delivered (other types or another tenant than its
 * `@EventProjection` options name) are skipped, as in delivery. The
 * read-model tables must exist (run the application's migrations first,
 * e.g. `openTestStore(mode, { migrations: [...] })`).
 *
 * ```ts
 * const spec = projectionSpecification(new TicketLogProjection(), testStore.database);
 * await spec.given([opened]).when([closed]).thenRows('SELECT event_type FROM ticket_log', [{ event_type: 'TicketOpened' }, …]);
 * ```
 */
export function projectionSpecification(
  projection: ProjectionHandler,
  database: DataSource | { dataSource: DataSource },
  options: ProjectionSpecificationOptions = {},
) {
  const dataSource = database instanceof DataSource ? database : database.dataSource;
  const filter = new Reflector().get<EventProjectionOptions | undefined>(EventProjection.KEY, projection.constructor);
  const defaults = {
    aggregateType: options.aggregateType ?? 'Test',
    aggregateId: 'aggregate-under-test',
    tenantId: options.tenantId ?? filter?.tenantId ?? 'test-tenant',
  };
  const delivered = (event: StoredDomainEvent) =>
    (!filter?.eventTypes || filter.eventTypes.includes(event.eventType)) && (!filter?.tenantId || filter.tenantId === event.tenantId);
  return {
    /** The events the read model is built from before the step under test. */
    given(givenEvents: SpecificationEvent[]) {
      const past = givenEvents.map((e, i) => toSpecificationEvent(e, i, defaults, options.migrations));
      const outcome = (step: Step): ProjectionOutcome => projectionOutcome(dataSource, projection, past.filter(delivered), step);
      return {
        /** Applies these events after the given ones. */
        when(events: SpecificationEvent[]): ProjectionOutcome {
          const next = events.map((e, i) => toSpecificationEvent(e, past.length + i, defaults, options.migrations)).filter(delivered);
          return outcome(async (handler, tx) => {
            for (const event of next) await handler.apply(event, tx);
          });
        },
        /**
         * Hands the projection the news that these given events were redacted, as delivery does after a redaction.
         * @throws TypeError when an id is not one of the given events'
         */
        whenRedacted(eventIds: string[]): ProjectionOutcome {
          const redaction = toRedaction(past, eventIds);
          return outcome(async (handler, tx) => {
            if (!handler.onRedacted) fail(`${handler.constructor.name} has no onRedacted(redaction, tx): it never hears of redactions`);
            await handler.onRedacted(redaction, tx);
          });
        },
      };
    },
  };
}

function projectionOutcome(dataSource: DataSource, handler: ProjectionHandler, past: StoredDomainEvent[], step: Step): ProjectionOutcome {
  const run = async (work: (tx: ProjectionTransaction) => Promise<void>) => {
    const runner = dataSource.createQueryRunner();
    try {
      await runner.connect();
      await runner.startTransaction();
      const tx = toCheckpointTransaction(runner);
      await handler.reset(tx);
      for (const event of past) await handler.apply(event, tx);
      await work(tx);
    } finally {
      // Nothing of a specification stays in the database.
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      await runner.release();
    }
  };
  return {
    then: (check) =>
      run(async (tx) => {
        await step(handler, tx);
        await check(tx);
      }),
    thenRows: (sql, expected, parameters) =>
      run(async (tx) => {
        await step(handler, tx);
        deepStrictEqual(await tx.query(sql, parameters), expected, 'the read model holds other rows than expected');
      }),
    thenThrows: (errorClass, message) =>
      run(async (tx) => {
        try {
          await step(handler, tx);
        } catch (error) {
          const mismatch = errorMismatch(error, errorClass, message);
          if (mismatch) fail(mismatch);
          return;
        }
        fail(`expected ${errorClass.name}, but the projection applied the events`);
      }),
  };
}

function toRedaction(past: StoredDomainEvent[], eventIds: string[]): EventsRedacted {
  const events = eventIds.map((id) => {
    const event = past.find((e) => e.eventId === id);
    if (!event) throw new TypeError(`whenRedacted: '${id}' is not the id of a given event`);
    return event;
  });
  const position = past.length + 1;
  return {
    tenantId: events[0]?.tenantId ?? past[0]?.tenantId ?? 'test-tenant',
    markerEventId: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`,
    globalPosition: String(position),
    redactedAt: new Date(Date.UTC(2026, 0, 1) + position * 1000),
    events: events.map((e) => ({
      eventId: e.eventId,
      globalPosition: e.globalPosition,
      aggregateType: e.aggregateType,
      aggregateId: e.aggregateId,
      aggregateVersion: e.aggregateVersion,
      eventType: e.eventType,
    })),
  };
}
