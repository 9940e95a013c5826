import { randomUUID } from 'node:crypto';
import { EventData, StoredDomainEvent } from '../types/stored-domain-event';
import { AggregateDefinitionError, MissingEventHandlerError, UnknownEventTypeError } from './aggregate.errors';
import { eventHandlersOf } from './event-handlers';
import { AppliedEventContext, ApplyOptions, UncommittedEvent } from './aggregate-event';

/** Event type → payload type of an aggregate, for typed `apply` calls. */
export type AggregateEventMap = Record<string, EventData>;

/**
 * Base class of event-sourced aggregates.
 *
 * Commands check invariants and call `apply(eventType, data)`; `apply` records
 * the event as uncommitted and mutates state through the method named
 * `on<EventType>` (e.g. `onRequirementApproved(data, context)`). Loading
 * replays stored events through the same handlers, so state comes only from
 * events. The handlers are also the aggregate's declared event types: its
 * repository registers them, and the store then refuses other event types on
 * the aggregate's streams. Subclasses set `static aggregateType` (the stored
 * stream type) and, to use snapshots, implement `toSnapshot` / `fromSnapshot` and raise
 * `static snapshotSchemaVersion` whenever the snapshot shape changes
 * (snapshots of another shape are then ignored and rebuilt from events).
 *
 * @typeParam TEvents event type → payload type
 * @typeParam TSnapshot the snapshot state shape
 */
export abstract class EventSourcedAggregate<TEvents extends AggregateEventMap = AggregateEventMap, TSnapshot = unknown> {
  /** The stream type stored with every event. Subclasses must set it. */
  static aggregateType: string;
  /** Shape version of `toSnapshot()`'s result. @default 1 */
  static snapshotSchemaVersion = 1;

  private persistedVersion = 0;
  private pending: UncommittedEvent[] = [];

  constructor(readonly aggregateId: string) {}

  /**
   * The event types an aggregate class handles (its `on<EventType>` methods).
   * @param aggregateClass a subclass of EventSourcedAggregate
   */
  static declaredEventTypes(aggregateClass: { prototype: object }): string[] {
    return [...eventHandlersOf(aggregateClass, EventSourcedAggregate.prototype).keys()];
  }

  /** The stream type (the class's static `aggregateType`). */
  get aggregateType(): string {
    const type = (this.constructor as typeof EventSourcedAggregate).aggregateType;
    if (!type) throw new AggregateDefinitionError(this.constructor.name, "static 'aggregateType' is not set");
    return type;
  }

  /** The class's snapshot shape version. */
  get snapshotSchemaVersion(): number {
    return (this.constructor as typeof EventSourcedAggregate).snapshotSchemaVersion;
  }

  /** Version of the stream as loaded or last saved (0: never saved). Saving expects exactly this version. */
  get version(): number {
    return this.persistedVersion;
  }

  /** Version including uncommitted events. */
  get currentVersion(): number {
    return this.persistedVersion + this.pending.length;
  }

  /** Events applied since the aggregate was loaded or last saved, oldest first. */
  getUncommittedEvents(): readonly UncommittedEvent[] {
    return [...this.pending];
  }

  /**
   * Forgets the uncommitted events after they were stored.
   * @param version the stream version the save reached @default version + uncommitted count
   */
  markCommitted(version: number = this.currentVersion): void {
    this.persistedVersion = version;
    this.pending = [];
  }

  /**
   * Rebuilds state from stored events (already upcast). Only events right
   * after the current version are accepted, so a hole in the history is caught.
   * @throws UnknownEventTypeError for an event type the aggregate has no handler for
   */
  replay(events: Iterable<StoredDomainEvent>): void {
    for (const event of events) {
      if (event.aggregateVersion !== this.persistedVersion + 1) {
        throw new AggregateDefinitionError(
          this.constructor.name,
          `replay expected version ${this.persistedVersion + 1}, got ${event.aggregateVersion}`,
        );
      }
      const handler = this.handlerOf(event.eventType);
      if (!handler) throw new UnknownEventTypeError(this.aggregateType, this.aggregateId, event.eventType, event.aggregateVersion);
      handler.call(this, event.data, {
        eventType: event.eventType,
        eventVersion: event.eventVersion,
        occurredAt: event.occurredAt,
        aggregateVersion: event.aggregateVersion,
      });
      this.persistedVersion = event.aggregateVersion;
    }
  }

  /**
   * Restores state from a snapshot taken at `version`.
   * @throws AggregateDefinitionError when the subclass does not implement fromSnapshot
   */
  restoreSnapshot(state: TSnapshot, version: number): void {
    this.fromSnapshot(state);
    this.persistedVersion = version;
    this.pending = [];
  }

  /**
   * The state to snapshot. Override together with `fromSnapshot` to use snapshots.
   * @throws AggregateDefinitionError unless overridden
   */
  toSnapshot(): TSnapshot {
    throw new AggregateDefinitionError(this.constructor.name, 'snapshots need toSnapshot() and fromSnapshot()');
  }

  /**
   * Restores state from `toSnapshot()`'s result.
   * @throws AggregateDefinitionError unless overridden
   */
  protected fromSnapshot(state: TSnapshot): void {
    void state;
    throw new AggregateDefinitionError(this.constructor.name, 'snapshots need toSnapshot() and fromSnapshot()');
  }

  /**
   * Records an event and applies it to the state. Call it from commands,
   * after the invariants are checked: handlers only change state.
   * @throws MissingEventHandlerError when there is no `on<EventType>` method
   */
  protected apply<K extends keyof TEvents & string>(eventType: K, data: TEvents[K], options: ApplyOptions = {}): void {
    const occurredAt = options.occurredAt ?? new Date();
    // Handle first: a throwing handler must not leave a recorded event behind.
    const handler = this.handlerOf(eventType);
    if (!handler) throw new MissingEventHandlerError(this.aggregateType, eventType);
    handler.call(this, data, { eventType, eventVersion: options.eventVersion, occurredAt, aggregateVersion: this.currentVersion + 1 });
    this.pending.push({
      eventId: randomUUID(),
      eventType,
      eventVersion: options.eventVersion,
      occurredAt,
      data,
      metadata: options.metadata,
    });
  }

  private handlerOf(eventType: string): ((data: EventData, context: AppliedEventContext) => void) | undefined {
    return eventHandlersOf(this.constructor, EventSourcedAggregate.prototype).get(eventType) as
      ((data: EventData, context: AppliedEventContext) => void) | undefined;
  }
}
