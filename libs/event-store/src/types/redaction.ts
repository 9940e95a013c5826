/** Why and by whom a redaction was requested (kept in the redaction log). */
export interface RedactionRequest {
  reason: string;
  requestedBy: string;
}

/** Result of an erasure request for one data subject. */
export interface ErasureResult {
  subjectId: string;
  /** Events this request redacted (a repeated request counts only what was left). */
  redactedEvents: number;
}

/** Progress of an erasure, reported after each committed chunk. */
export interface ErasureProgress {
  subjectId: string;
  /** Chunks committed so far by this request. */
  chunks: number;
  /** Events redacted so far by this request. */
  redactedEvents: number;
  /** Matching events found but not yet redacted (more may be found by a later pass). */
  remaining: number;
}

/** Options of `EventStoreService.eraseSubject`. */
export interface ErasureOptions {
  /** Events redacted per transaction: bounds how long readers of the global order wait. @default 500 */
  chunkSize?: number;
  /**
   * Called after each committed chunk. A throw stops the erasure there (the
   * committed chunks stay redacted; repeating the request does the rest).
   * @default progress is only logged (every 20 chunks)
   */
  onProgress?: (progress: ErasureProgress) => void;
}

/** The envelope of one redacted event, as announced to projections and subscribers. */
export interface RedactedEventRef {
  eventId: string;
  globalPosition: string;
  aggregateType: string;
  aggregateId: string;
  aggregateVersion: number;
  eventType: string;
}

/**
 * Delivered to `onRedacted` of projections and subscribers: these events of
 * the tenant were redacted. Carries no personal data (no subject id, no reason).
 */
export interface EventsRedacted {
  tenantId: string;
  /** Event id and global position of the marker event that carried the news. */
  markerEventId: string;
  globalPosition: string;
  /** When the redaction committed. */
  redactedAt: Date;
  events: RedactedEventRef[];
}

/**
 * The marker event every redaction (one event, or one chunk of an erasure)
 * appends in its own transaction, so that delivery brings it to every read
 * model at its place in the gap-safe order, exactly once for projections.
 * Type names start with `$`, which the event-type pattern never accepts, and
 * aggregate ids starting with `$` are refused for normal appends: no one else
 * can write this stream.
 */
export const REDACTION_MARKER = {
  aggregateType: '$EventStore',
  aggregateId: '$redactions',
  eventType: '$EventsRedacted',
} as const;
