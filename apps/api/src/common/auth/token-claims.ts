import { TENANT_ID_PATTERN } from '@nest-event-store/core';
import { Principal } from './principal';
import { ROLES, Role } from './role';

/** Claims of the bearer token. */
export interface TokenClaims {
  sub: string;
  tenant_id: string;
  roles: Role[];
  exp?: number;
  iat?: number;
}

/**
 * Turns verified claims into a Principal, or explains why they cannot be one.
 * Unknown role names are ignored rather than rejected, so a token issued for a
 * newer version of the API still works for the roles this one knows.
 */
export function principalFromClaims(claims: unknown): Principal | string {
  if (typeof claims !== 'object' || claims === null) return 'token payload is not an object';
  const c = claims as Record<string, unknown>;
  if (typeof c.sub !== 'string' || c.sub.length === 0 || c.sub.length > 200) return 'token has no valid sub claim';
  if (typeof c.tenant_id !== 'string' || !TENANT_ID_PATTERN.test(c.tenant_id)) return 'token has no valid tenant_id claim';
  if (c.roles !== undefined && (!Array.isArray(c.roles) || c.roles.some((r) => typeof r !== 'string')))
    return 'token roles claim must be an array of strings';
  const roles = ((c.roles as string[] | undefined) ?? []).filter((r): r is Role => (ROLES as readonly string[]).includes(r));
  return { sub: c.sub, tenantId: c.tenant_id, roles };
}
