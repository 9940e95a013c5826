import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { EventStoreService } from '@nest-event-store/core';

/** How long a ping may take before the database counts as down. */
const PING_TIMEOUT_MS = 3000;

/** Health of the event store's database (one `SELECT 1`). */
@Injectable()
export class EventStoreHealthIndicator {
  constructor(
    private readonly store: EventStoreService,
    private readonly health: HealthIndicatorService,
  ) {}

  /** `up` while the database answers within PING_TIMEOUT_MS, `down` otherwise (never throws). */
  async isHealthy(key = 'database'): Promise<HealthIndicatorResult> {
    const indicator = this.health.check(key);
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${PING_TIMEOUT_MS} ms`)), PING_TIMEOUT_MS);
      });
      await Promise.race([this.store.ping(), timeout]);
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: error instanceof Error ? error.message : String(error) });
    } finally {
      clearTimeout(timer);
    }
  }
}
