import { EventSourcedAggregate, ConcurrencyError, EventMetadata } from '@nest-event-store/core';
import { Principal } from '../common/auth/principal';

/**
 * Optimistic concurrency at the API: the client says which version it acted
 * on; a different one is the same ConcurrencyError (409) the store raises
 * when a concurrent save wins between load and save.
 * @throws ConcurrencyError when `expectedVersion` is given and differs
 */
export function checkExpectedVersion(aggregate: EventSourcedAggregate, expectedVersion: number | undefined): void {
  if (expectedVersion !== undefined && expectedVersion !== aggregate.version) {
    throw new ConcurrencyError(aggregate.aggregateId, expectedVersion, aggregate.version);
  }
}

/** Metadata of events caused by a request: the acting user and the correlation id. */
export function requestMetadata(principal: Principal, correlationId: string | undefined): EventMetadata {
  return correlationId
    ? { userId: principal.sub, correlationId, source: 'api/requirements' }
    : { userId: principal.sub, source: 'api/requirements' };
}
