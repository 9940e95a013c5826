import { EventStoreError } from './event-store.error';

/**
 * The database could not be reached or dropped the connection. For an append
 * this means the transaction did not commit from our side: retry with the same
 * event ids, and idempotency makes the retry safe either way.
 */
export class StoreUnavailableError extends EventStoreError {
  readonly code = 'STORE_UNAVAILABLE';
  /** Suggested wait before retrying, in seconds. */
  readonly retryAfterSeconds = 1;

  constructor(operation: string, cause?: unknown) {
    super(`Event store unavailable during ${operation}; retry later`, { cause });
  }
}
