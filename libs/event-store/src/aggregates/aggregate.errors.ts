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
