import { SetMetadata } from '@nestjs/common';

/** Metadata key read by JwtAuthGuard. */
export const IS_PUBLIC_KEY = 'auth:public';

/** The route needs no token (health, metrics). Every other route does. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC_KEY, true);
