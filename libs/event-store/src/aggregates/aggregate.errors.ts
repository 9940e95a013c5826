import { EventStoreError } from '../errors/event-store.error';

/**
 * An aggregate was asked to apply an event type it has no `on<EventType>`
 * handler for. A programming error: the aggregate and its events disagree.
 */
export class MissingEventHandlerError extends EventStoreError {
  readonly code = 'MISSING_EVENT_HANDLER';

  constructor(
    readonly aggregateType: string,
    readonly eventType: string,
  ) {
    super(`Aggregate '${aggregateType}' has no handler 'on${eventType}' for event type '${eventType}'`);
  }
}

/**
 * A stored stream holds an event its aggregate has no handler for (written
 * before the type was declared, or by another version of the application).
 * Loading stops there instead of building a state that skipped an event;
 * the reference app answers 422. The stream stays readable as raw events.
 */
export class UnknownEventTypeError extends EventStoreError {
  readonly code = 'UNKNOWN_EVENT_TYPE';

  constructor(
    readonly aggregateType: string,
    readonly aggregateId: string,
    readonly eventType: string,
    readonly aggregateVersion: number,
  ) {
    super(
      `Stream '${aggregateId}' of aggregate type '${aggregateType}' holds event type '${eventType}' at version ${aggregateVersion}, which the aggregate does not handle`,
    );
  }
}

/**
 * An aggregate class cannot be used as asked: no static `aggregateType`, or
 * snapshots configured without `toSnapshot` / `fromSnapshot`.
 */
export class AggregateDefinitionError extends EventStoreError {
  readonly code = 'AGGREGATE_DEFINITION';

  constructor(
    readonly aggregateClass: string,
    readonly reason: string,
  ) {
    super(`Aggregate class '${aggregateClass}' is not usable: ${reason}`);
  }
}
