import { DiscoveryService } from '@nestjs/core';
import { DeliveryFilterOptions } from './subscription-definition';

/** Options of `@EventSubscriber`. */
export type EventSubscriberOptions = DeliveryFilterOptions;

/**
 * Marks a provider implementing `DomainEventSubscriber` as a durable
 * subscriber: it is found at startup and backed by a subscription of the same
 * name, checkpointed in PostgreSQL, so events it missed (a crash, a failure)
 * are delivered later.
 *
 * ```ts
 * @Injectable()
 * @EventSubscriber({ name: 'approval-mailer', eventTypes: ['RequirementApproved'] })
 * export class ApprovalMailer implements DomainEventSubscriber { handle(event) { … } }
 * ```
 */
export const EventSubscriber = DiscoveryService.createDecorator<EventSubscriberOptions>();
