import { ClsServiceManager } from 'nestjs-cls';

/** What every log line of a request carries (and the request's server span, see tracing/). */
export interface RequestContext {
  correlationId?: string;
  tenantId?: string;
}

const CORRELATION_ID = 'correlationId';
const TENANT_ID = 'tenantId';

/**
 * The context of the request this code runs for, or an empty object outside
 * any request (startup, delivery to subscribers). Read through nestjs-cls'
 * AsyncLocalStorage, so that nothing has to pass it by hand.
 */
export function currentRequestContext(): RequestContext {
  const cls = ClsServiceManager.getClsService();
  if (!cls.isActive()) return {};
  const correlationId = cls.get<string | undefined>(CORRELATION_ID);
  const tenantId = cls.get<string | undefined>(TENANT_ID);
  return { ...(correlationId ? { correlationId } : {}), ...(tenantId ? { tenantId } : {}) };
}

/** Records the request's correlation id (the correlation middleware has chosen it). */
export function setRequestCorrelationId(correlationId: string | undefined): void {
  const cls = ClsServiceManager.getClsService();
  if (cls.isActive() && correlationId) cls.set(CORRELATION_ID, correlationId);
}

/** Records the request's tenant once the bearer token has been verified. */
export function setRequestTenant(tenantId: string): void {
  const cls = ClsServiceManager.getClsService();
  if (cls.isActive()) cls.set(TENANT_ID, tenantId);
}
