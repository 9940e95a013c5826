import { REDACTION_MARKER } from '../types/redaction';
import { TENANT_ID_PATTERN, isCheckpoint } from '../validation/rules';
import { EventsRedacted } from '../types/redaction';
import { StoredDomainEvent } from '../types/stored-domain-event';
import { CheckpointTransaction } from './checkpoint-transaction';
import { ResolvedDeliveryOptions, RetryPolicy, resolveRetryPolicy } from './delivery.options';
import { DeliveryFilterOptions, SUBSCRIPTION_NAME_PATTERN, SubscriptionStart } from './subscription.options';
import { SubscriptionDefinitionError } from './subscription.errors';

/**
 * A handler applied inside the transaction that moves the checkpoint, chunk
 * by chunk (hence exactly once), and that can be reset and replayed.
 * Projections are such handlers.
 */
export interface TransactionalHandler {
  apply(event: StoredDomainEvent, tx: CheckpointTransaction): Promise<void>;
  reset(tx: CheckpointTransaction): Promise<void>;
  onRedacted?(redaction: EventsRedacted, tx: CheckpointTransaction): Promise<void>;
}

/** A handler called outside any transaction, at least once per event. */
export interface SubscriberTarget {
  kind: 'subscriber';
  handle(event: StoredDomainEvent): Promise<void> | void;
  onRedacted?: (redaction: EventsRedacted) => Promise<void> | void;
}

/** A transactional handler; its kind is 'projection' (the kind keys the subscription row). */
export interface TransactionalTarget {
  kind: 'projection';
  handler: TransactionalHandler;
}

/** Where a worker delivers: a subscriber (called outside any transaction) or a projection (inside one). */
export type DeliveryTarget = SubscriberTarget | TransactionalTarget;

/** Everything a worker needs to know about its subscription. */
export interface WorkerDefinition {
  name: string;
  eventTypes?: string[];
  tenantId?: string;
  startFrom: SubscriptionStart;
  retry: Required<RetryPolicy>;
  batchSize: number;
  target: DeliveryTarget;
}

/**
 * Checks decorator options and builds a worker definition with defaults.
 * @throws SubscriptionDefinitionError naming what is wrong
 */
export function toWorkerDefinition(
  options: DeliveryFilterOptions,
  target: DeliveryTarget,
  defaults: ResolvedDeliveryOptions,
): WorkerDefinition {
  const name = String(options?.name ?? '');
  const fail = (reason: string): never => {
    throw new SubscriptionDefinitionError(name || '(unnamed)', reason);
  };
  if (!SUBSCRIPTION_NAME_PATTERN.test(name) || name.length > 100)
    fail('name must be stable kebab-case (e.g. requirement-status-board), at most 100 characters');
  if (options.eventTypes !== undefined) {
    if (!Array.isArray(options.eventTypes) || options.eventTypes.length === 0) fail('eventTypes must be a non-empty array when given');
    if (options.eventTypes.some((t) => typeof t !== 'string' || !t)) fail('eventTypes must be non-empty strings');
  }
  if (options.tenantId !== undefined && !TENANT_ID_PATTERN.test(options.tenantId)) fail('tenantId is not a valid tenant id');
  const start = options.startFrom ?? 'beginning';
  if (start !== 'beginning' && start !== 'now' && !isCheckpoint(start)) {
    fail(`startFrom must be 'beginning', 'now' or a checkpoint of a streamed event`);
  }
  const batchSize = options.batchSize ?? defaults.batchSize;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) fail('batchSize must be an integer from 1 to 10000');
  const retry = resolveRetryPolicy(options.retry, defaults.retry);
  if (!Number.isInteger(retry.maxAttempts) || retry.maxAttempts < 1) fail('retry.maxAttempts must be a positive integer');
  if (target.kind === 'subscriber' && typeof target.handle !== 'function') fail('a subscriber must have a handle(event) method');
  if (target.kind === 'projection' && (typeof target.handler?.apply !== 'function' || typeof target.handler?.reset !== 'function')) {
    fail('a projection must have apply(event, tx) and reset(tx) methods');
  }
  if (target.kind === 'subscriber' && target.onRedacted !== undefined && typeof target.onRedacted !== 'function')
    fail('onRedacted must be a method');
  if (target.kind === 'projection' && target.handler.onRedacted !== undefined && typeof target.handler.onRedacted !== 'function')
    fail('onRedacted must be a method');
  // A handler with onRedacted hears of redactions whatever event types it filters on.
  const hearsRedactions = target.kind === 'subscriber' ? target.onRedacted !== undefined : target.handler.onRedacted !== undefined;
  const eventTypes = options.eventTypes && hearsRedactions ? [...options.eventTypes, REDACTION_MARKER.eventType] : options.eventTypes;
  return { name, eventTypes, tenantId: options.tenantId, startFrom: start, retry, batchSize, target };
}
