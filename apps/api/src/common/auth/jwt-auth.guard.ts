import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config.module';
import { setRequestTenant } from '../../logging/request-context';
import { DEFAULT_TOKEN_LIFETIME, TokenLifetimePolicy, lifetimeViolation } from '../../config/token-lifetime';
import { PRINCIPAL_KEY } from './current-principal.decorator';
import { IS_PUBLIC_KEY } from './public.decorator';
import { Role } from './role';
import { ROLES_KEY } from './roles.decorator';
import { principalFromClaims } from './token-claims';

/**
 * Global guard: every route needs a valid HS256 bearer token unless marked
 * @Public(). A missing, malformed, forged or expired token, one without a
 * tenant, without `exp` or `iat`, or living longer than the configured
 * maximum, is 401 with the reason; a valid token without a role the route
 * names is 403.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  private readonly lifetime: TokenLifetimePolicy;

  constructor(
    private readonly jwt: JwtService,
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.lifetime = config.tokenLifetime ?? DEFAULT_TOKEN_LIFETIME;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined> } & Record<string, unknown>>();
    const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/.exec(request.headers.authorization ?? '');
    if (!match) throw new UnauthorizedException('Missing or malformed bearer token');
    let claims: unknown;
    try {
      // Pinning the algorithm rejects `alg: none` and key-confusion tokens.
      claims = await this.jwt.verifyAsync(match[1], { algorithms: ['HS256'], clockTolerance: this.lifetime.clockSkewSeconds });
    } catch (error) {
      const expired = (error as Error)?.name === 'TokenExpiredError';
      throw new UnauthorizedException(expired ? 'Token expired' : 'Invalid token');
    }
    const violation = lifetimeViolation(claims, this.lifetime, Math.floor(Date.now() / 1000));
    if (violation) throw new UnauthorizedException(violation);
    const principal = principalFromClaims(claims);
    if (typeof principal === 'string') throw new UnauthorizedException(principal);
    request[PRINCIPAL_KEY] = principal;
    setRequestTenant(principal.tenantId);
    const required = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (required?.length && !required.some((role) => principal.roles.includes(role))) {
      throw new ForbiddenException(`Requires role: ${required.join(' or ')}`);
    }
    return true;
  }
}
