import { Injectable } from '@nestjs/common';
import { EventStoreService } from '../store/event-store.service';
import { AppendOptions } from '../types/append-options';
import { ReadMode } from '../types/read-options';
import { NewDomainEvent, StoredDomainEvent } from '../types/stored-domain-event';
import { EventMigrationFn, EventMigrationHandler, EventVersionInput } from '../upcasting/event-migration.handler';

/**
 * What aggregates and application services publish through: persist, then
 * deliver. Events are appended first; only after the append committed are
 * the subscribers of this process woken. Delivery itself is the durable
 * subscription of each subscriber (the only delivery path), so a subscriber
 * sees an event only after commit, a failing subscriber neither fails the
 * publish nor holds up the others (each has its own subscription, retried
 * with backoff and parked after its attempts), and a crash between commit
 * and delivery loses nothing: the checkpoint still points before the event.
 * Delivery is at-least-once; subscribers must be idempotent.
 */
@Injectable()
export class EventStorePublisher {
  constructor(
    private readonly store: EventStoreService,
    private readonly migrations: EventMigrationHandler,
  ) {}

  /**
   * Appends one event, then wakes the subscribers.
   * @throws the append's errors (ConcurrencyError, …); nothing is delivered then
   */
  async publish(event: NewDomainEvent, tenantId: string, options?: AppendOptions): Promise<StoredDomainEvent> {
    const [stored] = await this.publishAll([event], tenantId, options);
    return stored;
  }

  /**
   * Appends a batch atomically (all or nothing), then wakes the subscribers.
   * @returns the stored events in batch order
   * @throws the append's errors (ConcurrencyError, EventValidationError, …); nothing is delivered then
   */
  async publishAll(events: NewDomainEvent[], tenantId: string, options?: AppendOptions): Promise<StoredDomainEvent[]> {
    // The store wakes the subscriptions once the append has committed.
    return this.store.appendEvents(events, tenantId, options);
  }

  /** The aggregate's events in version order, upcast to the latest version of each type. */
  replayEvents(aggregateId: string, tenantId: string): Promise<StoredDomainEvent[]> {
    return this.store.getEventsForAggregate(aggregateId, tenantId);
  }

  /** See EventStoreService.getEventsSince. */
  getEventsSince(
    tenantId: string,
    since: { position: string | number } | Date,
    options?: { limit?: number } & ReadMode,
  ): Promise<StoredDomainEvent[]> {
    return this.store.getEventsSince(tenantId, since, options);
  }

  /** See EventStoreService.getEventsByType. */
  getEventsByType(tenantId: string, eventType: string, options?: { limit?: number } & ReadMode): Promise<StoredDomainEvent[]> {
    return this.store.getEventsByType(tenantId, eventType, options);
  }

  /** See EventStoreService.getEventsByAggregateType. */
  getEventsByAggregateType(tenantId: string, aggregateType: string, options?: { limit?: number } & ReadMode): Promise<StoredDomainEvent[]> {
    return this.store.getEventsByAggregateType(tenantId, aggregateType, options);
  }

  /** Registers an upcasting step; see EventMigrationHandler.registerMigration. */
  registerMigration(eventType: string, fromVersion: EventVersionInput, toVersion: EventVersionInput, migrate: EventMigrationFn): void {
    this.migrations.registerMigration(eventType, fromVersion, toVersion, migrate);
  }
}
