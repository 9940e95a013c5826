import { DiscoveryService } from '@nestjs/core';
import { DeliveryFilterOptions } from './subscription.options';

/** Options of `@EventStoreSubscriber`. */
export type EventStoreSubscriberOptions = DeliveryFilterOptions;

/**
 * Marks a provider implementing `DomainEventSubscriber` as a durable
 * subscriber: it is found at startup and backed by a subscription of the same
 * name, checkpointed in PostgreSQL, so events it missed (a crash, a failure)
 * are delivered later.
 *
 * ```ts
 * @Injectable()
 * @EventStoreSubscriber({ name: 'approval-mailer', eventTypes: ['RequirementApproved'] })
 * export class ApprovalMailer implements DomainEventSubscriber { handle(event) { … } }
 * ```
 */
export const EventStoreSubscriber = DiscoveryService.createDecorator<EventStoreSubscriberOptions>();
