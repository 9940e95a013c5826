import { ExecutionContext, createParamDecorator } from '@nestjs/common';
import { correlationIdOf } from './correlation-id.middleware';

/** Injects the request's correlation id. */
export const CorrelationId = createParamDecorator((_: unknown, context: ExecutionContext): string | undefined =>
  correlationIdOf(context.switchToHttp().getRequest()),
);
