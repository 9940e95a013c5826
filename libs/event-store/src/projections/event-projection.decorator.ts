import { DiscoveryService } from '@nestjs/core';
import { DeliveryFilterOptions } from '../subscriptions/subscription.options';

/**
 * When a projection's read model is written. `async` (the default): after the
 * append, by a durable subscription (checkpoint, lease, retries, rebuild).
 * `inline`: inside the append's own transaction, so the read model is up to
 * date when the append returns, and a failing `apply` fails the append.
 */
export type ProjectionMode = 'async' | 'inline';

/** Options of `@EventProjection`. */
export interface EventProjectionOptions extends DeliveryFilterOptions {
  /**
   * `inline` applies matching events in the append's transaction (no
   * checkpoint, no retries; `startFrom`, `batchSize` and `retry` do not
   * apply, and `onRedacted` is not supported yet). See decision 0016.
   * @default 'async'
   */
  mode?: ProjectionMode;
}

/**
 * Marks a provider implementing `ProjectionHandler` as a projection: found at
 * startup, run in exactly one process at a time, its read model and
 * checkpoint updated in one transaction. With `mode: 'inline'` it runs in
 * the append's transaction instead.
 *
 * ```ts
 * @Injectable()
 * @EventProjection({ name: 'requirement-status-board', eventTypes: ['RequirementCreated', 'RequirementApproved'] })
 * export class StatusBoardProjection implements ProjectionHandler { … }
 * ```
 */
export const EventProjection = DiscoveryService.createDecorator<EventProjectionOptions>();
