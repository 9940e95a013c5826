/** Metadata carried beside the payload. Known keys are typed; others pass through. */
export interface EventMetadata {
  /** The acting user (the app fills it from the token's `sub`). */
  userId?: string;
  /** Where the event came from (service, endpoint, job). */
  source?: string;
  /** Ties together everything one request caused. */
  correlationId?: string;
  /** The event or command that directly caused this one. */
  causationId?: string;
  /** Data subject the event is about (GDPR erasure looks this up). */
  subjectId?: string;
  /** Several data subjects the event is about. */
  subjectIds?: string[];
  [key: string]: unknown;
}

/** A JSON object payload. */
export type EventData = Record<string, unknown>;

/**
 * One event as stored: the envelope the database assigned plus the payload.
 * Reads through the service return the payload upcast to the latest version
 * of its type (`eventVersion` then says that version) unless raw mode is asked for.
 */
export interface StoredDomainEvent<TData extends EventData = EventData> {
  /** Position in the one total order of the store, as a decimal string (64-bit). */
  globalPosition: string;
  eventId: string;
  tenantId: string;
  aggregateType: string;
  aggregateId: string;
  /** 1-based position of the event in its stream. */
  aggregateVersion: number;
  eventType: string;
  /** Schema version of `data`. */
  eventVersion: number;
  /** Business time. */
  occurredAt: Date;
  /** Time the storing transaction started (all events of one append share it). */
  storedAt: Date;
  data: TData;
  metadata: EventMetadata;
  /**
   * PostgreSQL transaction id (xid8) of the append, as a decimal string.
   * Readers of the global order order and checkpoint by (transactionId, globalPosition).
   */
  transactionId: string;
  isRedacted: boolean;
  redactedAt: Date | null;
}

/** An event to append. Everything but the type and the payload has a default. */
export interface NewDomainEvent<TData extends EventData = EventData> {
  /** Client-chosen UUID; makes retries idempotent. Generated when absent. */
  eventId?: string;
  aggregateType: string;
  aggregateId: string;
  eventType: string;
  /** @default 1 */
  eventVersion?: number;
  /** @default now */
  occurredAt?: Date | string;
  data: TData;
  /** @default {} */
  metadata?: EventMetadata;
}
