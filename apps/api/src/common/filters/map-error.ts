import { HttpException, HttpStatus } from '@nestjs/common';
import {
  ConcurrencyError,
  DuplicateEventError,
  NotFoundError,
  EventStoreError,
  EventValidationError,
  OperationNotAllowedError,
  StoreUnavailableError,
  UnknownEventTypeError,
} from '@nest-event-store/core';
import { ErrorBody, errorBody } from './error-body';

/** An error turned into an HTTP answer. */
export interface MappedError {
  body: ErrorBody;
  headers: Record<string, string>;
  /** True for a 5xx that is a bug and must be logged with its stack. */
  unexpected: boolean;
}

/** Errors thrown by Express's body parser (http-errors): too large, bad encoding, … */
interface BodyParserError {
  type?: string;
  status?: number;
  expose?: boolean;
  limit?: number;
  message?: string;
}

/**
 * Maps any thrown value to the API's error answer, in one place:
 * library errors by class, HttpExceptions as they are (normalized to the
 * one shape), body-parser errors by status, and everything else to a 500.
 */
export function mapError(error: unknown): MappedError {
  const answer = (body: ErrorBody, headers: Record<string, string> = {}): MappedError => ({
    body,
    headers,
    unexpected: body.statusCode >= 500 && body.statusCode !== 503,
  });
  if (error instanceof EventStoreError) {
    const code = { code: error.code };
    if (error instanceof EventValidationError)
      return answer(
        errorBody(
          400,
          error.violations.map((v) => `${v.field}: ${v.reason}`),
          code,
        ),
      );
    // EventNotFoundError (EVENT_NOT_FOUND), StreamNotFoundError (STREAM_NOT_FOUND): each keeps its own code.
    if (error instanceof NotFoundError) return answer(errorBody(404, error.message, code));
    if (error instanceof ConcurrencyError) {
      return answer({
        statusCode: 409,
        error: 'ConcurrencyError',
        message: error.message,
        ...code,
        aggregateId: error.aggregateId,
        expectedVersion: error.expectedVersion,
        actualVersion: error.actualVersion,
      });
    }
    if (error instanceof DuplicateEventError)
      return answer(errorBody(409, error.message, { error: 'DuplicateEventError', ...code, eventId: error.eventId }));
    if (error instanceof StoreUnavailableError)
      return answer(errorBody(503, error.message, code), { 'Retry-After': String(error.retryAfterSeconds) });
    if (error instanceof OperationNotAllowedError) return answer(errorBody(403, error.message, code));
    // The request is fine, but the stored stream holds an event this aggregate cannot process (decision 0011).
    if (error instanceof UnknownEventTypeError) {
      return answer(
        errorBody(422, error.message, {
          ...code,
          aggregateType: error.aggregateType,
          aggregateId: error.aggregateId,
          eventType: error.eventType,
          aggregateVersion: error.aggregateVersion,
        }),
      );
    }
    // Other library errors (a failed upcast, …) are bugs or misconfiguration.
    return answer(errorBody(500, 'Internal server error'));
  }
  // NestJS 12's Express adapter wraps body-parser errors in an HttpException
  // whose cause is the original; the limit is only on that.
  const parserError = (error instanceof HttpException ? error.cause : error) as BodyParserError | undefined;
  if (parserError?.type === 'entity.too.large') {
    return answer(errorBody(HttpStatus.PAYLOAD_TOO_LARGE, `Request body exceeds the limit of ${parserError.limit ?? '?'} bytes`));
  }
  if (error instanceof HttpException) return answer(fromHttpException(error));
  if (typeof parserError?.status === 'number' && parserError.status >= 400 && parserError.status < 500 && parserError.expose) {
    return answer(errorBody(parserError.status, parserError.message ?? 'Bad request'));
  }
  return answer(errorBody(500, 'Internal server error'));
}

function fromHttpException(exception: HttpException): ErrorBody {
  const status = exception.getStatus();
  const response = exception.getResponse();
  if (typeof response === 'string') return errorBody(status, response);
  const r = response as Record<string, unknown>;
  const message = typeof r.message === 'string' || Array.isArray(r.message) ? (r.message as string | string[]) : exception.message;
  // Nest's own exceptions put the reason phrase in `error`; keep the standard one.
  return errorBody(status, message);
}
