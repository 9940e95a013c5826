import { JwtService } from '@nestjs/jwt';
import { Role } from './role';

/** What goes into a token minted by `npm run token` or a test. */
export interface SignTokenInput {
  secret: string;
  tenantId: string;
  roles: Role[] | string[];
  /** @default 'dev' */
  sub?: string;
  /** Lifetime in seconds. @default 3600 */
  expiresInSeconds?: number;
}

/** Signs an HS256 bearer token with the API's claims (sub, tenant_id, roles, exp). */
export function signToken(input: SignTokenInput): string {
  return new JwtService().sign(
    { tenant_id: input.tenantId, roles: input.roles },
    { secret: input.secret, algorithm: 'HS256', subject: input.sub ?? 'dev', expiresIn: input.expiresInSeconds ?? 3600 },
  );
}
