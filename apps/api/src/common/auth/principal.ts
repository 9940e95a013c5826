import { Role } from './role';

/** Who is calling, as established by the bearer token. */
export interface Principal {
  /** The acting user (`sub`). */
  sub: string;
  /** The tenant (`tenant_id`): the only source of tenancy. */
  tenantId: string;
  roles: Role[];
}
