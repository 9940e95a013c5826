import { Inject, Injectable } from '@nestjs/common';
import { SubscriptionManager } from '@nest-event-store/core';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.module';

/** Lag that makes a subscription degraded when SUBSCRIPTION_LAG_WARNING_EVENTS is not set. */
export const DEFAULT_LAG_WARNING_EVENTS = 1000;

/** One subscription or projection of this process in /api/health. */
export interface SubscriptionHealth {
  status: 'up' | 'degraded';
  kind: 'subscriber' | 'projection';
  /** Its worker runs in this process (false: stopped, or delivery disabled here). */
  running: boolean;
  lease: {
    /** Owner id of the process holding the lease, or null. */
    owner: string | null;
    until: Date | null;
    /** The lease is live (some process delivers). */
    held: boolean;
    ownedHere: boolean;
  };
  /** Matching events beyond its checkpoint. */
  eventsBehind: number;
  /** Events it has parked as dead letters. */
  deadLetters: number;
  /** Why it is degraded (absent when up). */
  reasons?: string[];
}

/** The `subscriptions` entry of /api/health. */
export interface SubscriptionsHealth {
  status: 'up' | 'degraded';
  lagThresholdEvents: number;
  subscriptions: Record<string, SubscriptionHealth>;
}

/**
 * Delivery as a health entry: each subscription and projection registered in
 * this process, with whether it runs here, who holds its lease, its lag and
 * its dead letters. `degraded` when one is more than the lag threshold
 * behind, has dead letters, or is not delivered by any process while events
 * wait. Degraded delivery keeps the API serving: /api/health stays 200.
 */
@Injectable()
export class SubscriptionsHealthIndicator {
  private readonly threshold: number;

  constructor(
    private readonly subscriptions: SubscriptionManager,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.threshold = config.subscriptionLagWarningEvents ?? DEFAULT_LAG_WARNING_EVENTS;
  }

  /** The entry, or undefined when the database does not answer (the database entry says so) or nothing is registered. */
  async check(): Promise<SubscriptionsHealth | undefined> {
    const names = this.subscriptions.names();
    if (names.length === 0) return undefined;
    try {
      const deadLetters = await this.subscriptions.countDeadLetters();
      const now = Date.now();
      const entries: Record<string, SubscriptionHealth> = {};
      for (const name of names) entries[name] = await this.one(name, deadLetters[name] ?? 0, now);
      const degraded = Object.values(entries).some((e) => e.status === 'degraded');
      return { status: degraded ? 'degraded' : 'up', lagThresholdEvents: this.threshold, subscriptions: entries };
    } catch {
      return undefined;
    }
  }

  private async one(name: string, deadLetters: number, now: number): Promise<SubscriptionHealth> {
    const [status, lag] = await Promise.all([this.subscriptions.getStatus(name), this.subscriptions.getLag(name)]);
    const held = status.owner !== null && status.leaseUntil !== null && new Date(status.leaseUntil).getTime() > now;
    const reasons: string[] = [];
    if (lag.eventsBehind > this.threshold) reasons.push(`${lag.eventsBehind} events behind (threshold ${this.threshold})`);
    if (deadLetters > 0) reasons.push(`${deadLetters} dead letter(s)`);
    if (!held && !status.runningHere && lag.eventsBehind > 0) reasons.push('no process delivers it');
    return {
      status: reasons.length ? 'degraded' : 'up',
      kind: status.kind,
      running: status.runningHere,
      lease: { owner: held ? status.owner : null, until: held ? status.leaseUntil : null, held, ownedHere: status.ownedHere },
      eventsBehind: lag.eventsBehind,
      deadLetters,
      ...(reasons.length ? { reasons } : {}),
    };
  }
}
