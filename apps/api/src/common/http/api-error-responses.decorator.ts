import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ConflictErrorBodyDto, ErrorBodyDto, UnknownEventTypeErrorBodyDto } from '../filters/error-body.dto';

/** The error statuses the API answers with (see mapError). */
export type ApiErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 422 | 503;

interface ErrorResponse {
  description: string;
  type: typeof ErrorBodyDto;
  /** The answer carries Retry-After (seconds). */
  retryAfter?: true;
}

// One description and body schema per status, written once for every route.
const RESPONSES: Record<ApiErrorStatus, ErrorResponse> = {
  400: { description: 'Invalid input: `message` lists "field: reason" (body, query or path)', type: ErrorBodyDto },
  401: { description: 'Missing, malformed, forged or expired bearer token, or one living longer than allowed', type: ErrorBodyDto },
  403: { description: 'The token lacks the role this route needs, or the store does not allow the operation', type: ErrorBodyDto },
  404: { description: 'Unknown id, or another tenant’s (the same answer for both)', type: ErrorBodyDto },
  409: {
    description:
      '`ConcurrencyError` (stale expectedVersion; the body names `expectedVersion` and `actualVersion`), `DuplicateEventError` (`eventId` already stored) or `DomainRuleViolation` (`rule`)',
    type: ConflictErrorBodyDto,
  },
  413: { description: 'Request body larger than the configured limit (BODY_LIMIT)', type: ErrorBodyDto },
  422: {
    description: '`UNKNOWN_EVENT_TYPE`: the stored stream holds an event type the aggregate does not handle (decision 0011)',
    type: UnknownEventTypeErrorBodyDto,
  },
  503: {
    description:
      'The store is unavailable for now (`STORE_UNAVAILABLE`: no connection in time, statement timeout); retry after `Retry-After` seconds',
    type: ErrorBodyDto,
    retryAfter: true,
  },
};

/**
 * Documents error answers of a route (or of every route of a controller)
 * with the API's error body schema (ErrorBodyDto and its 409/422 variants).
 * @example @ApiErrorResponses(400, 404)
 */
export function ApiErrorResponses(...statuses: ApiErrorStatus[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((status) => {
      const { description, type, retryAfter } = RESPONSES[status];
      const headers = retryAfter
        ? { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer', example: 1 } } }
        : undefined;
      return ApiResponse({ status, description, type, ...(headers ? { headers } : {}) });
    }),
  );
}

/** What every route behind the bearer token can answer: 401, 403 (roles) and 503. */
export function ApiAuthenticatedErrorResponses(): MethodDecorator & ClassDecorator {
  return ApiErrorResponses(401, 403, 503);
}
