import { Violations, checkTypeName } from '../validation/rules';

/**
 * The event types each aggregate type declares, as registered by its
 * repositories (`AggregateRepository` registers its class's `on<EventType>`
 * handlers). Appends to a stream of a registered aggregate type accept only
 * these event types, whichever path they take (repository, EventStoreService,
 * the app's generic append endpoint): a stream the aggregate cannot replay is
 * never written. Unregistered aggregate types accept any event type.
 */
export class DeclaredEventTypes {
  private readonly byAggregateType = new Map<string, Set<string>>();

  /**
   * Declares event types of an aggregate type. Declaring again adds to the
   * set (two classes may share a stream type, e.g. a newer snapshot shape).
   * @throws EventValidationError for a malformed type name
   */
  declare(aggregateType: string, eventTypes: Iterable<string>): void {
    const v = new Violations();
    checkTypeName(v, 'aggregateType', aggregateType);
    const types = [...eventTypes];
    types.forEach((t, i) => checkTypeName(v, `eventTypes[${i}]`, t));
    v.throwIfAny();
    const set = this.byAggregateType.get(aggregateType) ?? new Set<string>();
    for (const eventType of types) set.add(eventType);
    this.byAggregateType.set(aggregateType, set);
  }

  /** The declared event types, or undefined when the aggregate type is not registered. */
  of(aggregateType: string): ReadonlySet<string> | undefined {
    return this.byAggregateType.get(aggregateType);
  }
}
