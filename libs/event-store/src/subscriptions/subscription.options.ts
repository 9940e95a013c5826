import { StreamCheckpoint } from '../types/read-options';
import { RetryPolicy } from './delivery.options';

/**
 * Where a subscription starts the first time it runs (later runs resume from
 * its checkpoint). 'now' means after the newest event a gap-safe reader can
 * see: an event that committed just before but is still behind an older
 * in-flight transaction is delivered rather than skipped.
 */
export type SubscriptionStart = 'beginning' | 'now' | StreamCheckpoint;

/** What subscribers and projections have in common: their name and which events they see. */
export interface DeliveryFilterOptions {
  /**
   * Stable kebab-case name; keys the checkpoint, so renaming it starts over.
   * Subscribers and projections share one namespace.
   */
  name: string;
  /** Only these event types. @default every type */
  eventTypes?: string[];
  /** Only this tenant's events. @default every tenant */
  tenantId?: string;
  /** Where to start the first time. @default 'beginning' */
  startFrom?: SubscriptionStart;
  /** Overrides the module's retry policy. */
  retry?: RetryPolicy;
  /** Events read per round trip (and, for projections, applied per transaction). @default the module's delivery batchSize */
  batchSize?: number;
}

/** Stable kebab-case names, e.g. `requirement-status-board`. */
export const SUBSCRIPTION_NAME_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
