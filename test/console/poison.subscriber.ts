import { Injectable, Module } from '@nestjs/common';
import { DomainEventSubscriber, EventStoreSubscriber, StoredDomainEvent } from '@nest-event-store/core';

/** The name of the test subscriber whose failures fill the dead letters. */
export const POISON_SUBSCRIPTION = 'console-test-poison';

/** Fails on every `PoisonPill` until `heal()` (one attempt each, so they park at once). */
@Injectable()
@EventStoreSubscriber({ name: POISON_SUBSCRIPTION, eventTypes: ['PoisonPill'], retry: { maxAttempts: 1 } })
export class PoisonSubscriber implements DomainEventSubscriber {
  static healed = false;
  readonly handled: string[] = [];

  handle(event: StoredDomainEvent): void {
    if (!PoisonSubscriber.healed) throw new Error(`poisoned by ${event.eventId}`);
    this.handled.push(event.eventId);
  }
}

/** Adds PoisonSubscriber to a test app. */
@Module({ providers: [PoisonSubscriber] })
export class PoisonModule {}
