import { EventStoreError } from './event-store.error';

/** What an append expects the stream to look like before it writes. */
export type ExpectedVersion = number | 'any' | 'no_stream' | 'stream_exists';

/**
 * An append's expected version did not match the stream: another writer got
 * there first. Nothing of the append was written; reload and retry.
 */
export class ConcurrencyError extends EventStoreError {
  readonly code = 'CONCURRENCY_CONFLICT';

  /**
   * @param aggregateId the stream whose version did not match
   * @param expectedVersion what the caller expected
   * @param actualVersion the stream's version when the append ran (0: no stream)
   */
  constructor(
    readonly aggregateId: string,
    readonly expectedVersion: ExpectedVersion,
    readonly actualVersion: number,
  ) {
    super(`Stream '${aggregateId}' is at version ${actualVersion}, but the append expected ${describe(expectedVersion)}`);
  }
}

function describe(expected: ExpectedVersion): string {
  if (expected === 'no_stream') return 'no stream';
  if (expected === 'stream_exists') return 'an existing stream';
  return `version ${String(expected)}`;
}
