import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { DELIVERY_DEFAULTS as D } from '../event-store.defaults';

/** How a failing handler is retried before its event is parked as a dead letter. */
export interface RetryPolicy {
  /** Attempts per event, the first included, before it is parked. @default 5 */
  maxAttempts?: number;
  /** Wait before the second attempt; doubles per attempt. @default 100 */
  initialDelayMs?: number;
  /** Longest wait between attempts. @default 5000 */
  maxDelayMs?: number;
}

/** Delivery settings of `EventStoreModule` (the `delivery` option). */
export interface DeliveryOptions {
  /**
   * Run the discovered subscribers and projections in this process. Turn off
   * in processes that only write. @default true
   */
  enabled?: boolean;
  /**
   * Fallback polling interval while following live. On a server a NOTIFY
   * wakes readers at once; on PGlite (no NOTIFY across connections) this is
   * the latency for events appended by other processes. @default 200
   */
  pollIntervalMs?: number;
  /** How long a lease lasts without renewal; another process takes over after it. @default 5000 */
  leaseDurationMs?: number;
  /** How often the owner renews its lease, and standbys try to take it. @default 1000 */
  leaseRenewIntervalMs?: number;
  /** Events read per round trip (and per projection transaction). @default 100 */
  batchSize?: number;
  /** Default retry policy; subscribers and projections may override it. */
  retry?: RetryPolicy;
  /** This process's identity in lease rows. @default `${hostname}:${pid}:${random}` */
  ownerId?: string;
  /**
   * On a server, how often at most this process NOTIFYs other processes that
   * it committed events (one NOTIFY covers every commit of the interval).
   * Subscriptions in this process are woken at once regardless. @default 10
   */
  notifyIntervalMs?: number;
}

/** Delivery options with every default applied. */
export interface ResolvedDeliveryOptions {
  enabled: boolean;
  pollIntervalMs: number;
  leaseDurationMs: number;
  leaseRenewIntervalMs: number;
  batchSize: number;
  retry: Required<RetryPolicy>;
  ownerId: string;
  notifyIntervalMs: number;
}

/** Applies the delivery defaults (DELIVERY_DEFAULTS); the options are validated before. */
export function resolveDeliveryOptions(given: DeliveryOptions = {}): ResolvedDeliveryOptions {
  return {
    enabled: given.enabled ?? D.enabled,
    pollIntervalMs: given.pollIntervalMs ?? D.pollIntervalMs,
    leaseDurationMs: given.leaseDurationMs ?? D.leaseDurationMs,
    leaseRenewIntervalMs: given.leaseRenewIntervalMs ?? D.leaseRenewIntervalMs,
    batchSize: given.batchSize ?? D.batchSize,
    retry: resolveRetryPolicy(given.retry),
    ownerId: given.ownerId ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`,
    notifyIntervalMs: given.notifyIntervalMs ?? D.notifyIntervalMs,
  };
}

/** Applies the retry defaults. */
export function resolveRetryPolicy(policy: RetryPolicy | undefined, base?: Required<RetryPolicy>): Required<RetryPolicy> {
  return {
    maxAttempts: policy?.maxAttempts ?? base?.maxAttempts ?? D.retry.maxAttempts,
    initialDelayMs: policy?.initialDelayMs ?? base?.initialDelayMs ?? D.retry.initialDelayMs,
    maxDelayMs: policy?.maxDelayMs ?? base?.maxDelayMs ?? D.retry.maxDelayMs,
  };
}

/** Wait before attempt `attempt + 1` (attempt is 1-based). */
export function retryDelay(policy: Required<RetryPolicy>, attempt: number): number {
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (attempt - 1));
}
