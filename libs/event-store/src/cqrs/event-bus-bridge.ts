import { Inject, Injectable, Logger, OnApplicationBootstrap, Optional } from '@nestjs/common';
import { EventBus } from '@nestjs/cqrs';
import { SubscriptionManager } from '../subscriptions/subscription-manager';
import { StoredDomainEvent } from '../types/stored-domain-event';
import { CqrsEventTypes } from './cqrs-event-types';
import { EVENT_STORE_CQRS_OPTIONS, EventStoreCqrsOptions } from './event-store-cqrs.options';

/**
 * Persist, then forward: a durable subscription of the store that publishes
 * each committed event on the `@nestjs/cqrs` EventBus as an instance of the
 * app's event class, with the payload upcast to the latest version. Delivery
 * is at-least-once from the subscription's checkpoint; a handler that throws
 * is reported to the EventBus's UnhandledExceptionBus and logged, and never
 * fails the append nor stops the bridge.
 */
@Injectable()
export class EventBusBridge implements OnApplicationBootstrap {
  private readonly logger = new Logger('EventStore:cqrs');

  constructor(
    @Inject(EVENT_STORE_CQRS_OPTIONS) private readonly options: EventStoreCqrsOptions,
    private readonly subscriptions: SubscriptionManager,
    private readonly eventTypes: CqrsEventTypes,
    @Optional() @Inject(EventBus) private readonly eventBus?: EventBus,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.eventBus) {
      throw new Error('EventStoreCqrsModule needs the EventBus of @nestjs/cqrs: import CqrsModule.forRoot() in the root module.');
    }
    await this.subscriptions.subscribe(
      {
        name: this.options.name ?? 'cqrs-event-bus',
        eventTypes: this.eventTypes.eventTypes(),
        startFrom: this.options.startFrom ?? 'now',
        tenantId: this.options.tenantId,
      },
      (event) => this.forward(event),
    );
  }

  /** The app's event instance for a stored event: its class's prototype, the (upcast) payload's fields. */
  toEvent(stored: StoredDomainEvent): object | undefined {
    return this.eventTypes.toEvent(stored);
  }

  private forward(stored: StoredDomainEvent): void {
    const event = this.toEvent(stored);
    if (!event) return;
    try {
      this.eventBus!.publish(event);
    } catch (error) {
      // A synchronous throw from a custom publisher; handlers' own errors go to the UnhandledExceptionBus.
      this.logger.error(`Publishing ${stored.eventType} ${stored.eventId} on the EventBus failed: ${String(error)}`);
    }
  }
}
