import { EventStoreError } from '../errors/event-store.error';

/** A migration registration that would make the upcast chain ambiguous or broken. */
export class EventMigrationRegistrationError extends EventStoreError {
  readonly code = 'MIGRATION_REGISTRATION';

  constructor(
    readonly eventType: string,
    reason: string,
  ) {
    super(`Cannot register migration for '${eventType}': ${reason}`);
  }
}

/** A migration threw while upcasting a stored event. */
export class EventMigrationFailedError extends EventStoreError {
  readonly code = 'MIGRATION_FAILED';

  constructor(
    readonly eventId: string,
    readonly eventType: string,
    readonly fromVersion: number,
    cause: unknown,
  ) {
    super(`Upcasting event '${eventId}' (${eventType}) from v${fromVersion} failed: ${(cause as Error)?.message ?? String(cause)}`, {
      cause,
    });
  }
}
