import { Type } from '@nestjs/common';
import { AggregateRoot } from '@nestjs/cqrs';

/** Options of one `@nestjs/cqrs` aggregate class's repository (`CqrsAggregateRepository.provide`). */
export interface CqrsAggregateRepositoryOptions<T extends AggregateRoot> {
  /**
   * The stored `aggregateType` of the class's streams.
   * @default the class name
   */
  aggregateType?: string;
  /**
   * Makes an empty aggregate to replay a stream into (`load`).
   * @default (aggregateId) => new AggregateClass(aggregateId)
   */
  create?: (aggregateId: string) => T;
  /**
   * The stream id of an aggregate that was not loaded through the repository
   * (a new one). Loaded aggregates keep the id they were loaded with.
   * @default the aggregate's `id` property
   */
  idOf?: (aggregate: T) => string;
}

/** Options of `CqrsAggregateRepository.save`. */
export interface CqrsSaveOptions {
  /** Metadata of every saved event (userId, correlationId, causationId, …). */
  metadata?: Record<string, unknown>;
}

/** DI token of the repository of a `@nestjs/cqrs` aggregate class. */
export function getCqrsAggregateRepositoryToken(aggregateClass: Type): string {
  return `CqrsAggregateRepository<${aggregateClass.name}>`;
}
