import { AggregateRepository, EventSourcedAggregate, ConcurrencyError, EventMetadata } from '@nest-event-store/core';
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

/** Who sends a command, and under which correlation id. */
export interface CommandRequest {
  principal: Principal;
  correlationId?: string;
}

/**
 * The command pattern of every write endpoint: load the aggregate, check the
 * client's expectedVersion, run the command, save with the request's metadata.
 * @returns the aggregate after the command, saved
 * @throws StreamNotFoundError, ConcurrencyError, DomainRuleViolationError (from the command)
 */
export async function runCommand<A extends EventSourcedAggregate>(
  repository: AggregateRepository<A>,
  request: CommandRequest,
  target: { id: string; expectedVersion?: number },
  command: (aggregate: A) => void | Promise<void>,
): Promise<A> {
  const aggregate = await repository.load(request.principal.tenantId, target.id);
  checkExpectedVersion(aggregate, target.expectedVersion);
  await command(aggregate);
  await repository.save(aggregate, request.principal.tenantId, { metadata: requestMetadata(request.principal, request.correlationId) });
  return aggregate;
}
