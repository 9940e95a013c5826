import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { randomUUID } from 'node:crypto';
import { DuplicateEventError } from '../errors/duplicate-event.error';
import { EventValidationError } from '../errors/event-validation.error';
import { EventStoreService } from '../store/event-store.service';
import { DEFAULT_EMITTER_MAPPINGS } from './default-emitter-mappings';
import { EmitterCaptureMappingError } from './emitter-capture.error';
import {
  CaptureDeadLetter,
  EVENT_EMITTER_CAPTURE_OPTIONS,
  EmitterEventMapping,
  EventEmitterCaptureOptions,
} from './event-emitter-capture.options';
import { MappingSettings, mapEmitterEvent } from './map-emitter-event';

/** Counters of the capture since start (the app exposes them as metrics). */
export interface CaptureStats {
  /** Emitted events stored. */
  captured: number;
  /** Attempts that failed (each retry that fails counts again). */
  failedAttempts: number;
  /** Attempts repeated after a failure that may pass. */
  retries: number;
  /** Emitted events given up on and kept as dead letters. */
  deadLettered: number;
  /** Dead letters dropped because more than `maxDeadLetters` were kept. */
  dropped: number;
  /** Emitted events whose capture is still under way. */
  pending: number;
}

// Invalid input: retrying cannot make it pass, so it is dead-lettered at once.
const PERMANENT = [EventValidationError, EmitterCaptureMappingError, DuplicateEventError];

/**
 * Listens on the app's EventEmitter2 for the mapped event names and appends
 * each emitted payload to the store, without the emitting code calling the
 * store. Failures are logged with the event name, counted, retried when they
 * may pass, and otherwise kept as dead letters (the rule is in the README).
 */
@Injectable()
export class EventEmitterCapture implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('EventEmitterCapture');
  private readonly mappings: Record<string, EmitterEventMapping>;
  private readonly settings: MappingSettings;
  private readonly retry: { maxAttempts: number; initialDelayMs: number; maxDelayMs: number };
  private readonly pending = new Set<Promise<void>>();
  private readonly letters: CaptureDeadLetter[] = [];
  private readonly counts = { captured: 0, failedAttempts: 0, retries: 0, deadLettered: 0, dropped: 0 };
  private readonly listeners = new Map<string, (payload: unknown) => void>();
  private enabled: boolean;

  constructor(
    private readonly emitter: EventEmitter2,
    private readonly store: EventStoreService,
    @Inject(EVENT_EMITTER_CAPTURE_OPTIONS) private readonly options: EventEmitterCaptureOptions,
  ) {
    this.mappings = { ...(options.mappings ?? DEFAULT_EMITTER_MAPPINGS) };
    this.settings = {
      tenantIdField: options.tenantIdField ?? 'tenantId',
      defaultTenantId: options.defaultTenantId,
      source: options.source ?? 'event-emitter',
    };
    this.retry = {
      maxAttempts: options.retry?.maxAttempts ?? 5,
      initialDelayMs: options.retry?.initialDelayMs ?? 100,
      maxDelayMs: options.retry?.maxDelayMs ?? 5000,
    };
    this.enabled = options.enabled ?? true;
  }

  onModuleInit(): void {
    for (const name of Object.keys(this.mappings)) {
      const listener = (payload: unknown): void => {
        if (this.enabled) this.track(this.capture(name, payload, randomUUID(), 1));
      };
      this.listeners.set(name, listener);
      this.emitter.on(name, listener);
    }
  }

  /** Stops listening and waits for captures under way (their retries included), before the store closes. */
  async beforeApplicationShutdown(): Promise<void> {
    for (const [name, listener] of this.listeners) this.emitter.off(name, listener);
    this.listeners.clear();
    await this.drain();
  }

  /** Starts capturing emitted events (again). */
  enable(): void {
    this.enabled = true;
  }

  /** Stops capturing: events emitted from now on are not stored. Captures under way finish. */
  disable(): void {
    this.enabled = false;
  }

  /** Whether emitted events are being captured. */
  isEnabled(): boolean {
    return this.enabled;
  }

  /** The emitter event names captured, in mapping order. */
  eventNames(): string[] {
    return Object.keys(this.mappings);
  }

  /** Counters since start. */
  stats(): CaptureStats {
    return { ...this.counts, pending: this.pending.size };
  }

  /** The dead letters kept, oldest first. */
  deadLetters(): CaptureDeadLetter[] {
    return this.letters.map((l) => ({ ...l }));
  }

  /**
   * Tries every dead letter once more (with the same event id, so one that did
   * commit unseen is not stored twice); those that fail again stay.
   * @returns how many were stored now
   */
  async retryDeadLetters(): Promise<number> {
    const letters = this.letters.splice(0);
    let stored = 0;
    for (const letter of letters) {
      const before = this.counts.captured;
      await this.capture(letter.eventName, letter.payload, letter.eventId, letter.attempts + 1, true);
      if (this.counts.captured > before) stored++;
    }
    return stored;
  }

  /** Resolves when every capture under way has been stored or dead-lettered. */
  async drain(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  private track(capture: Promise<void>): void {
    this.pending.add(capture);
    void capture.finally(() => this.pending.delete(capture));
  }

  private async capture(name: string, payload: unknown, eventId: string, attempt: number, once = false): Promise<void> {
    for (;;) {
      try {
        const { tenantId, event } = mapEmitterEvent(name, payload, this.mappings[name], this.settings, eventId);
        await this.store.appendEvent(event, tenantId);
        this.counts.captured++;
        return;
      } catch (error) {
        this.counts.failedAttempts++;
        const permanent = PERMANENT.some((type) => error instanceof type);
        if (permanent || once || attempt >= this.retry.maxAttempts) return this.deadLetter(name, payload, eventId, attempt, error);
        this.logger.warn(`Capture of '${name}' failed (attempt ${attempt} of ${this.retry.maxAttempts}), retrying: ${describe(error)}`);
        await delay(Math.min(this.retry.initialDelayMs * 2 ** (attempt - 1), this.retry.maxDelayMs));
        this.counts.retries++;
        attempt++;
      }
    }
  }

  private deadLetter(eventName: string, payload: unknown, eventId: string, attempts: number, error: unknown): void {
    const letter: CaptureDeadLetter = {
      eventName,
      payload,
      eventId,
      attempts,
      error: (error as Error)?.name ?? 'Error',
      reason: describe(error),
      failedAt: new Date(),
    };
    this.counts.deadLettered++;
    this.letters.push(letter);
    this.logger.error(
      `Capture of '${eventName}' failed after ${attempts} attempt(s), dead-lettered (event id ${eventId}): ${letter.reason}`,
    );
    const limit = this.options.maxDeadLetters ?? 1000;
    while (this.letters.length > limit) {
      const dropped = this.letters.shift()!;
      this.counts.dropped++;
      this.logger.error(`Dead letter of '${dropped.eventName}' (event id ${dropped.eventId}) dropped: more than ${limit} kept`);
    }
    if (this.options.onDeadLetter) {
      Promise.resolve()
        .then(() => this.options.onDeadLetter!({ ...letter }))
        .catch((hookError: unknown) => this.logger.error(`onDeadLetter failed for '${eventName}': ${describe(hookError)}`));
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
