import { EventStoreError } from '../errors/event-store.error';

/** No subscription or projection of that name runs in this process. */
export class SubscriptionNotFoundError extends EventStoreError {
  readonly code = 'SUBSCRIPTION_NOT_FOUND';

  constructor(readonly subscriptionName: string) {
    super(`No subscription or projection named '${subscriptionName}' is registered in this process`);
  }
}

/** A subscriber or projection is declared wrongly (bad or duplicate name, bad event types, …). */
export class SubscriptionDefinitionError extends EventStoreError {
  readonly code = 'INVALID_SUBSCRIPTION';

  constructor(
    readonly subscriptionName: string,
    readonly reason: string,
  ) {
    super(`Subscription '${subscriptionName}': ${reason}`);
  }
}

/** Another process holds the projection's lease, and the caller asked not to take it over (rebuild with `takeOver: false`). */
export class SubscriptionLeaseHeldError extends EventStoreError {
  readonly code = 'SUBSCRIPTION_LEASE_HELD';

  constructor(
    readonly subscriptionName: string,
    /** The holder's owner id (`host:pid:random` by default). */
    readonly owner: string,
    readonly leaseUntil: Date | null,
  ) {
    super(
      `'${subscriptionName}' is being run by another process (${owner}, lease until ${leaseUntil?.toISOString() ?? 'unknown'}); stop it first or take it over`,
    );
  }
}
