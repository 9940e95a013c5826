import { ExecutionContext, createParamDecorator } from '@nestjs/common';
import { Principal } from './principal';

/** Request property where JwtAuthGuard stores the verified principal. */
export const PRINCIPAL_KEY = 'principal';

/** Injects the verified Principal of the request. */
export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const request = context.switchToHttp().getRequest<Record<string, unknown>>();
  return request[PRINCIPAL_KEY] as Principal;
});
