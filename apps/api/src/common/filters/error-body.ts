import { STATUS_CODES } from 'node:http';

/** The one error shape of the API. Extra fields (e.g. versions of a conflict) may follow. */
export interface ErrorBody {
  statusCode: number;
  /** The HTTP reason phrase, or the error class where the contract names it (ConcurrencyError). */
  error: string;
  /** A sentence, or a list of "field: reason" for validation errors. */
  message: string | string[];
  /** Stable code of an event-store error, e.g. CONCURRENCY_CONFLICT. */
  code?: string;
  [extra: string]: unknown;
}

/** Builds an ErrorBody with the reason phrase of the status. */
export function errorBody(statusCode: number, message: string | string[], extra: Record<string, unknown> = {}): ErrorBody {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message, ...extra };
}
