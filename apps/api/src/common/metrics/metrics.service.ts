import { Inject, Injectable, Logger, OnModuleDestroy, Optional } from '@nestjs/common';
import { EventStoreError, EventStoreService, SubscriptionManager } from '@nest-event-store/core';
import { EventEmitterCapture } from '@nest-event-store/core/event-emitter';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config.module';

/**
 * The API's Prometheus metrics, on a registry of its own (not prom-client's
 * global one) so that several app instances in one process do not collide.
 * No label carries a tenant, user or id: label values stay few.
 */
@Injectable()
export class MetricsService implements OnModuleDestroy {
  readonly registry = new Registry();

  /** Events appended through the API. */
  readonly appendedEvents = new Counter({ name: 'event_store_appended_events_total', help: 'Events appended', registers: [this.registry] });

  /** Duration of appends, by outcome (ok, conflict, invalid, error). */
  readonly appendDuration = new Histogram({
    name: 'event_store_append_duration_seconds',
    help: 'Duration of appendEvents calls',
    labelNames: ['outcome'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  /** HTTP requests by method, route template and status. */
  readonly httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'],
    registers: [this.registry],
  });

  /** HTTP request duration by method and route template. */
  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method and route',
    labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  /** Events each subscription and projection of this process has still to handle, read at scrape time. */
  readonly subscriptionLag: Gauge<'subscription'>;

  /**
   * Seconds from an event's storing transaction to the end of its handler, per
   * subscription and projection of this process (how long delivery keeps readers waiting).
   */
  readonly deliveryLatency: Histogram<'subscription'>;

  /** Events parked as dead letters, per subscription (of every process), read at scrape time. */
  readonly deadLetters: Gauge<'subscription'>;

  private readonly stopObservingDeliveries: () => void;

  /**
   * Seconds the oldest open transaction of the database has held readers of
   * the event log back (0 when none does), read at scrape time.
   */
  readonly horizonLag: Gauge;

  /**
   * Emitter capture outcomes since start (read at scrape time): `captured`,
   * `failed_attempt`, `retried`, `dead_lettered`, `dropped` (dead letters beyond the kept maximum).
   */
  readonly emitterCaptures: Counter<'outcome'>;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    subscriptions: SubscriptionManager,
    store: EventStoreService,
    @Optional() capture?: EventEmitterCapture,
  ) {
    if (config.processMetrics) collectDefaultMetrics({ register: this.registry });
    const logger = new Logger('Metrics');
    this.subscriptionLag = new Gauge({
      name: 'event_store_subscription_lag_events',
      help: 'Events beyond the checkpoint of a subscription or projection (matching its filter)',
      labelNames: ['subscription'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const name of subscriptions.names()) {
          try {
            this.set({ subscription: name }, (await subscriptions.getLag(name)).eventsBehind);
          } catch (error) {
            // A scrape must not fail because the database is briefly away; the series is absent then.
            logger.warn(`Lag of '${name}' unavailable: ${(error as Error).message}`);
          }
        }
      },
    });
    this.deliveryLatency = new Histogram({
      name: 'event_store_delivery_latency_seconds',
      help: 'Seconds from the storing transaction of an event to the end of its handler, per subscription or projection',
      labelNames: ['subscription'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers: [this.registry],
    });
    this.stopObservingDeliveries = subscriptions.observeDeliveries((d) =>
      this.deliveryLatency.observe({ subscription: d.subscription }, Math.max(0, d.latencySeconds)),
    );
    this.deadLetters = new Gauge({
      name: 'event_store_dead_letters',
      help: 'Events parked as dead letters, per subscription or projection (0 for those of this process without any)',
      labelNames: ['subscription'],
      registers: [this.registry],
      async collect() {
        try {
          const counts = await subscriptions.countDeadLetters();
          this.reset();
          for (const name of new Set([...subscriptions.names(), ...Object.keys(counts)]))
            this.set({ subscription: name }, counts[name] ?? 0);
        } catch (error) {
          this.reset();
          logger.warn(`Dead letter counts unavailable: ${(error as Error).message}`);
        }
      },
    });
    this.horizonLag = new Gauge({
      name: 'event_store_horizon_lag_seconds',
      help: 'How long an open transaction of the database has held readers of the event log back (0: none)',
      registers: [this.registry],
      async collect() {
        try {
          this.set((await store.getHorizonLag()).lagSeconds);
        } catch (error) {
          this.reset();
          logger.warn(`Read horizon lag unavailable: ${(error as Error).message}`);
        }
      },
    });
    this.emitterCaptures = new Counter({
      name: 'event_store_emitter_captures_total',
      help: 'Emitter events captured into the store, by outcome (a failed capture is never silent)',
      labelNames: ['outcome'],
      registers: [this.registry],
      collect() {
        if (!capture) return;
        const s = capture.stats();
        this.reset();
        this.inc({ outcome: 'captured' }, s.captured);
        this.inc({ outcome: 'failed_attempt' }, s.failedAttempts);
        this.inc({ outcome: 'retried' }, s.retries);
        this.inc({ outcome: 'dead_lettered' }, s.deadLettered);
        this.inc({ outcome: 'dropped' }, s.dropped);
      },
    });
  }

  onModuleDestroy(): void {
    this.stopObservingDeliveries();
  }

  /**
   * Runs an append and records its duration and, on success, the number of
   * events stored.
   */
  async timeAppend<T extends unknown[]>(append: () => Promise<T>): Promise<T> {
    const stop = this.appendDuration.startTimer();
    try {
      const stored = await append();
      stop({ outcome: 'ok' });
      this.appendedEvents.inc(stored.length);
      return stored;
    } catch (error) {
      stop({ outcome: appendOutcome(error) });
      throw error;
    }
  }
}

// The `outcome` label of a failed append, by the store error's stable code (class names may change, codes do not).
const OUTCOME_BY_CODE: Record<string, string> = { CONCURRENCY_CONFLICT: 'conflict', VALIDATION_FAILED: 'invalid' };

function appendOutcome(error: unknown): string {
  return (error instanceof EventStoreError && OUTCOME_BY_CODE[error.code]) || 'error';
}
