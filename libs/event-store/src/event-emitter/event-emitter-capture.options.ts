/** How one emitter event name becomes a stored event. */
export interface EmitterEventMapping {
  /** Event type to store, e.g. `TaskStarted`. */
  eventType: string;
  /** Aggregate type of the stream, e.g. `Task`. */
  aggregateType: string;
  /** Payload fields tried in order for the aggregate id (a non-empty string or a finite number), e.g. `['taskId', 'id']`. */
  aggregateIdFields: string[];
  /** Aggregate id when none of the fields is in the payload (otherwise that payload is a failed capture). */
  defaultAggregateId?: string;
  /** Schema version of the stored payload. @default 1 */
  eventVersion?: number;
}

/** How a capture that failed for a reason that may pass is retried (see the README's capture rule). */
export interface CaptureRetryPolicy {
  /** Attempts per captured event, the first included, before it is dead-lettered. @default 5 */
  maxAttempts?: number;
  /** Wait before the second attempt; doubles per attempt. @default 100 */
  initialDelayMs?: number;
  /** Longest wait between attempts. @default 5000 */
  maxDelayMs?: number;
}

/** One emitted event that could not be stored (see `EventEmitterCapture.deadLetters`). */
export interface CaptureDeadLetter {
  /** The emitter event name, e.g. `task:started`. */
  eventName: string;
  /** The payload as emitted. */
  payload: unknown;
  /** Event id the capture used (kept on retries, so a retry after an unseen commit is idempotent). */
  eventId: string;
  /** Attempts made so far. */
  attempts: number;
  /** Error class name of the last failure, e.g. `EventValidationError`. */
  error: string;
  /** Message of the last failure. */
  reason: string;
  failedAt: Date;
}

/** Options of `EventStoreEventEmitterModule.forRoot`. */
export interface EventEmitterCaptureOptions {
  /**
   * Emitter event name → stored event. Replaces the defaults; extend them with
   * `{ ...DEFAULT_EMITTER_MAPPINGS, 'order:placed': { … } }`.
   * @default DEFAULT_EMITTER_MAPPINGS (the twelve task/agent/deployment/system names)
   */
  mappings?: Record<string, EmitterEventMapping>;
  /** Payload field holding the tenant id; removed from the stored payload. @default 'tenantId' */
  tenantIdField?: string;
  /** Tenant of payloads without `tenantIdField` (otherwise such a payload is a failed capture). */
  defaultTenantId?: string;
  /** Capture from the start; switch at runtime with `EventEmitterCapture.enable()/disable()`. @default true */
  enabled?: boolean;
  /** `metadata.source` of captured events. @default 'event-emitter' */
  source?: string;
  /** Retries of failures that may pass (anything but invalid input). */
  retry?: CaptureRetryPolicy;
  /** Dead letters kept in memory; beyond it the oldest is dropped (logged and counted). @default 1000 */
  maxDeadLetters?: number;
  /** Called once per dead letter, e.g. to persist it elsewhere; its own failure is logged. */
  onDeadLetter?: (letter: CaptureDeadLetter) => void | Promise<void>;
}

/** Injection token of the options. */
export const EVENT_EMITTER_CAPTURE_OPTIONS = Symbol('EVENT_EMITTER_CAPTURE_OPTIONS');
