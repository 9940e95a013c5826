import { Injectable, Logger } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper';
import { EventProjection, EventProjectionOptions } from '../projections/event-projection.decorator';
import { ProjectionHandler } from '../projections/projection-handler';
import { DomainEventSubscriber } from './domain-event-subscriber';
import { EventStoreSubscriber, EventStoreSubscriberOptions } from './event-subscriber.decorator';

/** A decorated provider found at startup. */
export type DiscoveredDelivery =
  | { kind: 'subscriber'; options: EventStoreSubscriberOptions; instance: DomainEventSubscriber; provider: string }
  | { kind: 'projection'; options: EventProjectionOptions; instance: ProjectionHandler; provider: string };

/**
 * Finds `@EventStoreSubscriber` and `@EventProjection` providers through Nest's
 * DiscoveryService (only providers carrying the decorator's key, no scan of
 * every class). Request-scoped providers cannot back a long-running
 * subscription and are skipped with a warning.
 */
@Injectable()
export class DeliveryExplorer {
  private readonly logger = new Logger('EventStore:delivery');

  constructor(private readonly discovery: DiscoveryService) {}

  explore(): DiscoveredDelivery[] {
    const found: DiscoveredDelivery[] = [];
    for (const wrapper of this.discovery.getProviders({ metadataKey: EventStoreSubscriber.KEY })) {
      const options = this.discovery.getMetadataByDecorator(EventStoreSubscriber, wrapper);
      const instance = this.instanceOf(wrapper);
      if (options && instance)
        found.push({ kind: 'subscriber', options, instance: instance as DomainEventSubscriber, provider: String(wrapper.name) });
    }
    for (const wrapper of this.discovery.getProviders({ metadataKey: EventProjection.KEY })) {
      const options = this.discovery.getMetadataByDecorator(EventProjection, wrapper);
      const instance = this.instanceOf(wrapper);
      if (options && instance)
        found.push({ kind: 'projection', options, instance: instance as ProjectionHandler, provider: String(wrapper.name) });
    }
    return found;
  }

  private instanceOf(wrapper: InstanceWrapper): object | undefined {
    if (!wrapper.isDependencyTreeStatic() || !wrapper.instance) {
      this.logger.warn(`${String(wrapper.name)} is not a singleton provider; subscribers and projections must be, so it is ignored`);
      return undefined;
    }
    return wrapper.instance as object;
  }
}
