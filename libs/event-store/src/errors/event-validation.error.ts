import { EventStoreError } from './event-store.error';

/** One invalid input: which field, and why. */
export interface FieldViolation {
  /** Path of the offending field, e.g. `events[2].data`. */
  field: string;
  /** Human-readable reason. */
  reason: string;
}

/** Input rejected before anything was written (HTTP 400 in the app). */
export class EventValidationError extends EventStoreError {
  readonly code = 'VALIDATION_FAILED';

  constructor(readonly violations: FieldViolation[]) {
    super(violations.map((v) => `${v.field}: ${v.reason}`).join('; '));
  }

  /** Shorthand for a single violation. */
  static of(field: string, reason: string): EventValidationError {
    return new EventValidationError([{ field, reason }]);
  }
}
