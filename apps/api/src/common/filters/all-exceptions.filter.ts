import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { correlationIdOf } from '../correlation/correlation-id.middleware';
import { mapError } from './map-error';

/**
 * The one exception filter of the API: every error leaves as
 * `{ statusCode, error, message }` (see mapError). A 500 is a bug, so it is
 * logged with its stack and correlation id, and its details are never sent.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const mapped = mapError(exception);
    if (mapped.unexpected) {
      const stack = exception instanceof Error ? exception.stack : String(exception);
      this.logger.error(
        `Unhandled error on ${request.method} ${request.originalUrl} [correlationId=${correlationIdOf(request) ?? '-'}]`,
        stack,
      );
    } else if (mapped.body.statusCode === 503) {
      this.logger.warn(`${mapped.body.message} [correlationId=${correlationIdOf(request) ?? '-'}]`);
    }
    if (response.headersSent) return;
    for (const [name, value] of Object.entries(mapped.headers)) response.setHeader(name, value);
    response.status(mapped.body.statusCode).json(mapped.body);
  }
}
