import { BadRequestException, ForbiddenException, HttpException } from '@nestjs/common';
import {
  ConcurrencyError,
  DuplicateEventError,
  EventNotFoundError,
  StreamNotFoundError,
  EventValidationError,
  OperationNotAllowedError,
  StoreUnavailableError,
  UnknownEventTypeError,
} from '@nest-event-store/core';
import { mapError } from './map-error';

describe('mapError', () => {
  it('maps EventValidationError to 400 with "field: reason" messages', () => {
    const mapped = mapError(
      new EventValidationError([
        { field: 'events[0].data', reason: 'must be an object' },
        { field: 'aggregateId', reason: 'too long' },
      ]),
    );
    expect(mapped.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: ['events[0].data: must be an object', 'aggregateId: too long'],
      code: 'VALIDATION_FAILED',
    });
    expect(mapped.unexpected).toBe(false);
  });

  it('maps ConcurrencyError to 409 naming both versions', () => {
    const mapped = mapError(new ConcurrencyError('req-1', 'no_stream', 3));
    expect(mapped.body).toMatchObject({
      statusCode: 409,
      error: 'ConcurrencyError',
      expectedVersion: 'no_stream',
      actualVersion: 3,
      aggregateId: 'req-1',
      message: expect.stringContaining('version 3'),
    });
  });

  it('maps a missing event and a missing stream to 404, each with its own code', () => {
    expect(mapError(new EventNotFoundError('x')).body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: "No event 'x' in this tenant",
      code: 'EVENT_NOT_FOUND',
    });
    expect(mapError(new StreamNotFoundError('req-1')).body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: "No stream 'req-1' in this tenant",
      code: 'STREAM_NOT_FOUND',
    });
  });

  it('maps duplicate and not-allowed errors', () => {
    expect(mapError(new DuplicateEventError('e-1')).body).toMatchObject({ statusCode: 409, error: 'DuplicateEventError', eventId: 'e-1' });
    expect(mapError(new OperationNotAllowedError('clearTenantEvents', 'enable it')).body).toMatchObject({
      statusCode: 403,
      error: 'Forbidden',
    });
  });

  it('maps UnknownEventTypeError to 422 naming the stream, the event type and its version, not logged as a bug', () => {
    const mapped = mapError(new UnknownEventTypeError('Requirement', 'req-1', 'Bogus', 2));
    expect(mapped.body).toMatchObject({
      statusCode: 422,
      error: 'Unprocessable Entity',
      code: 'UNKNOWN_EVENT_TYPE',
      aggregateType: 'Requirement',
      aggregateId: 'req-1',
      eventType: 'Bogus',
      aggregateVersion: 2,
    });
    expect(mapped.unexpected).toBe(false);
  });

  it('maps StoreUnavailableError to 503 with Retry-After, not logged as a bug', () => {
    const mapped = mapError(new StoreUnavailableError('appendEvents', new Error('ECONNREFUSED')));
    expect(mapped.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable', code: 'STORE_UNAVAILABLE' });
    expect(mapped.headers).toEqual({ 'Retry-After': '1' });
    expect(mapped.unexpected).toBe(false);
  });

  it('keeps HttpExceptions in the one shape', () => {
    expect(mapError(new BadRequestException(['a: b'])).body).toEqual({ statusCode: 400, error: 'Bad Request', message: ['a: b'] });
    expect(mapError(new ForbiddenException('Requires role: dpo')).body).toEqual({
      statusCode: 403,
      error: 'Forbidden',
      message: 'Requires role: dpo',
    });
  });

  it('maps body-parser errors by status', () => {
    expect(
      mapError(Object.assign(new Error('too big'), { type: 'entity.too.large', status: 413, expose: true, limit: 1024 })).body,
    ).toEqual({
      statusCode: 413,
      error: 'Payload Too Large',
      message: 'Request body exceeds the limit of 1024 bytes',
    });
    expect(
      mapError(Object.assign(new Error('unsupported charset "X"'), { type: 'charset.unsupported', status: 415, expose: true })).body,
    ).toMatchObject({ statusCode: 415 });
  });

  it('names the body limit of a 413 that the Express adapter wrapped in an HttpException', () => {
    const parserError = Object.assign(new Error('request entity too large'), {
      type: 'entity.too.large',
      status: 413,
      expose: true,
      limit: 2048,
    });
    expect(mapError(new HttpException('request entity too large', 413, { cause: parserError })).body).toEqual({
      statusCode: 413,
      error: 'Payload Too Large',
      message: 'Request body exceeds the limit of 2048 bytes',
    });
  });

  it('turns anything else into a 500 without details, flagged as a bug', () => {
    const mapped = mapError(new TypeError('secret internals'));
    expect(mapped.body).toEqual({ statusCode: 500, error: 'Internal Server Error', message: 'Internal server error' });
    expect(mapped.unexpected).toBe(true);
  });
});
