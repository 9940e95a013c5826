/** Why and by whom a redaction was requested (kept in the redaction log). */
export interface RedactionRequest {
  reason: string;
  requestedBy: string;
}

/** Result of an erasure request for one data subject. */
export interface ErasureResult {
  subjectId: string;
  redactedEvents: number;
}
