import { ConcurrencyError, ExpectedVersion } from '../errors/concurrency.error';
import { DuplicateEventError } from '../errors/duplicate-event.error';
import { EventStoreError } from '../errors/event-store.error';
import { EventValidationError } from '../errors/event-validation.error';
import { StoreUnavailableError } from '../errors/store-unavailable.error';

interface DriverError {
  code?: string;
  detail?: string;
  constraint?: string;
  message?: string;
}

// Connection-level failures: refused, reset, terminated by the server
// (admin shutdown, crash), or the pool's own "connection terminated".
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', '57P01', '57P02', '57P03']);

function driverErrorOf(error: unknown): DriverError {
  const e = error as DriverError & { driverError?: DriverError };
  return e?.driverError ?? e ?? {};
}

// The client's own bounds (pg): no free connection in time, no connection
// opened in time, no answer to a query in time (statementTimeoutMs + grace).
const CLIENT_TIMEOUT =
  /timeout exceeded when trying to connect|Connection terminated due to connection timeout|timeout expired|Query read timeout/i;

// The server's bounds: statement_timeout (57014, also an explicit cancel), lock_timeout (55P03).
const SERVER_TIMEOUT_CODES = new Set(['57014', '55P03']);

/**
 * True when the error means the database could not be reached, dropped us,
 * or did not answer in time: the connection is unusable (a query the client
 * stopped waiting for may still run on it) and must be discarded.
 */
export function isConnectionError(error: unknown): boolean {
  const e = driverErrorOf(error);
  if (e.code && (CONNECTION_CODES.has(e.code) || e.code.startsWith('08'))) return true;
  const message = e.message ?? '';
  return (
    CLIENT_TIMEOUT.test(message) ||
    /Connection terminated|connection error|Client was closed|not queryable|ECONNRESET|socket hang up/i.test(message)
  );
}

/** True when the server cancelled a statement that ran past its bound; the connection itself is fine. */
export function isServerTimeout(error: unknown): boolean {
  return SERVER_TIMEOUT_CODES.has(driverErrorOf(error).code ?? '');
}

/**
 * Turns a driver error into the store's typed error where one applies; other
 * errors are returned unchanged (they are bugs, not bad input).
 */
export function translateDriverError(error: unknown, operation: string): unknown {
  if (error instanceof EventStoreError) return error;
  const e = driverErrorOf(error);
  if (isConnectionError(error) || isServerTimeout(error)) return new StoreUnavailableError(operation, error);
  switch (e.code) {
    case 'ESCON': {
      const detail = JSON.parse(e.detail ?? '{}') as { aggregateId: string; expectedVersion: ExpectedVersion; actualVersion: number };
      return new ConcurrencyError(detail.aggregateId, detail.expectedVersion, detail.actualVersion);
    }
    case 'ESDUP':
      return new DuplicateEventError(
        e.detail ?? 'unknown',
        e.message?.includes('another append') ? 'belongs to another append; a batch is idempotent only when resent whole' : undefined,
      );
    case 'ESTYP': {
      const detail = JSON.parse(e.detail ?? '{}') as { aggregateId: string; streamType: string; requestedType: string };
      return EventValidationError.of(
        'aggregateType',
        `stream '${detail.aggregateId}' is of type '${detail.streamType}', not '${detail.requestedType}' (one stream has one aggregate type)`,
      );
    }
    case '23505':
      if (e.constraint === 'uq_stored_domain_events_event_id')
        return new DuplicateEventError(
          /\(tenant_id, event_id\)=\([^,]*, ([^)]*)\)/.exec(e.detail ?? '')?.[1] ?? 'unknown',
          'was stored concurrently by another append',
        );
      return error;
    // The store validates input before the database sees it; these are the
    // last line, so that input the checks missed is still a 400, never a 500.
    case '22P05':
    case '22021':
      return EventValidationError.of('data', 'contains characters PostgreSQL cannot store (NUL or invalid Unicode)');
    case '22P02':
      // Only jsonb's parser: other invalid text representations are casts the store writes itself.
      if (/type jsonb?\b/.test(e.message ?? ''))
        return EventValidationError.of('data', `is not JSON PostgreSQL can store: ${e.detail ?? e.message}`);
      return error;
    case '22003':
      return EventValidationError.of('parameters', `a number is out of range for its column: ${e.message ?? ''}`);
    case '54001':
      return EventValidationError.of('data', 'is nested too deeply for PostgreSQL');
    default:
      return error;
  }
}
