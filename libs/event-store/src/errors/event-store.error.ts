/**
 * Base class of every error the event store throws on purpose.
 *
 * Each subclass has a stable `code` that applications can switch on (and that
 * the reference app maps to HTTP once, in its exception filter), builds its
 * message from structured fields, and keeps the driver error as `cause` when
 * it wraps one.
 */
export abstract class EventStoreError extends Error {
  /** Stable machine-readable code, e.g. `CONCURRENCY_CONFLICT`. */
  abstract readonly code: string;

  protected constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}
