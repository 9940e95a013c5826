import { SetMetadata } from '@nestjs/common';
import { Role } from './role';

/** Metadata key read by JwtAuthGuard. */
export const ROLES_KEY = 'auth:roles';

/** The caller needs at least one of these roles (403 otherwise). */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator => SetMetadata(ROLES_KEY, roles);
