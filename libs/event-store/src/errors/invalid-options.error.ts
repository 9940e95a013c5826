import { EventStoreError } from './event-store.error';

/**
 * A module option is unknown, of the wrong type or out of range. Thrown at
 * startup, before any connection is made, so that a typo (`databaseURL`)
 * cannot silently fall back to a default such as the embedded database.
 */
export class InvalidEventStoreOptionsError extends EventStoreError {
  readonly code = 'INVALID_OPTIONS';

  /**
   * @param option the option's path, e.g. `delivery.batchSize`
   * @param reason what is wrong with it
   * @param suggestion the valid option nearest to an unknown one
   */
  constructor(
    readonly option: string,
    readonly reason: string,
    readonly suggestion?: string,
  ) {
    super(`EventStoreModule option '${option}' ${reason}${suggestion ? `; did you mean '${suggestion}'?` : ''}`);
  }
}
