import { DiscoveryService } from '@nestjs/core';
import { DeliveryFilterOptions } from '../subscriptions/subscription-definition';

/** Options of `@EventProjection`. */
export type EventProjectionOptions = DeliveryFilterOptions;

/**
 * Marks a provider implementing `ProjectionHandler` as a projection: found at
 * startup, run in exactly one process at a time, its read model and
 * checkpoint updated in one transaction.
 *
 * ```ts
 * @Injectable()
 * @EventProjection({ name: 'requirement-status-board', eventTypes: ['RequirementCreated', 'RequirementApproved'] })
 * export class StatusBoardProjection implements ProjectionHandler { … }
 * ```
 */
export const EventProjection = DiscoveryService.createDecorator<EventProjectionOptions>();
