import { Controller, Get, Injectable, Logger, Module } from '@nestjs/common';
import { DomainEventSubscriber, EventStoreSubscriber, StoredDomainEvent } from '@nest-event-store/core';
import { CurrentPrincipal } from '../../apps/api/src/common/auth/current-principal.decorator';
import { Principal } from '../../apps/api/src/common/auth/principal';

/** Subscribers and a route for the observability e2e tests (each subscriber follows its own tenant). */
export const OBSERVED = {
  /** Parks every event whose data says `poison` (one attempt, so it parks at once). */
  poisoned: { name: 'obs-poisoned', tenantId: 'obs-poison-co' },
  /** Handles everything; a test stops its worker to build lag. */
  stoppable: { name: 'obs-stoppable', tenantId: 'obs-lag-co' },
} as const;

@Injectable()
@EventStoreSubscriber({ name: OBSERVED.poisoned.name, tenantId: OBSERVED.poisoned.tenantId, retry: { maxAttempts: 1 } })
export class PoisonedSubscriber implements DomainEventSubscriber {
  handle(event: StoredDomainEvent): void {
    if (event.data.poison) throw new Error(`poisoned by ${event.eventId}`);
  }
}

@Injectable()
@EventStoreSubscriber({ name: OBSERVED.stoppable.name, tenantId: OBSERVED.stoppable.tenantId })
export class StoppableSubscriber implements DomainEventSubscriber {
  handle(): void {}
}

/** GET /api/obs-log: logs from a service after an await, as any code of a request would. */
@Controller('obs-log')
export class LoggingController {
  private readonly logger = new Logger('ObsLog');

  @Get()
  async log(@CurrentPrincipal() principal: Principal): Promise<{ ok: true }> {
    this.logger.log('before the await');
    await new Promise((resolve) => setTimeout(resolve, 5));
    this.logger.warn(`after the await for ${principal.sub}`);
    return { ok: true };
  }
}

/** Adds the observability fixtures to a test app. */
@Module({ providers: [PoisonedSubscriber, StoppableSubscriber], controllers: [LoggingController] })
export class ObservedAppModule {}
