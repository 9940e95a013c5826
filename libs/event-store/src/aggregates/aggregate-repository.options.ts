import { EventSourcedAggregate } from './aggregate-root';

/** A concrete aggregate class: constructible from an id, with its static stream type. */
export type AggregateClass<T extends EventSourcedAggregate> = (new (aggregateId: string) => T) & {
  aggregateType: string;
  snapshotSchemaVersion: number;
};

/** Options of one aggregate type's repository. */
export interface AggregateRepositoryOptions {
  /**
   * Record a snapshot each time a save crosses a multiple of this many events
   * (and load from the newest one). 0 or absent: no snapshots.
   * @default 0
   */
  snapshotEvery?: number;
}

/** As of when `loadAt` rebuilds the aggregate. */
export type PointInHistory = { version: number } | { at: Date };

/** Options of `AggregateRepository.save`. */
export interface SaveOptions {
  /** Metadata of every saved event (userId, correlationId, …); an event's own metadata wins. */
  metadata?: Record<string, unknown>;
}

/** DI token of the repository of an aggregate class. */
export function getAggregateRepositoryToken(aggregateClass: { name: string; aggregateType?: string }): string {
  return `AggregateRepository<${aggregateClass.aggregateType ?? aggregateClass.name}>`;
}
