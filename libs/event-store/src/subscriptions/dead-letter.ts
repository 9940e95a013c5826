/** An event a subscription or projection gave up on after its retries. */
export interface DeadLetter {
  /** Id of the parked row (a decimal string). */
  id: string;
  subscriptionName: string;
  globalPosition: string;
  transactionId: string;
  eventId: string;
  tenantId: string;
  eventType: string;
  /** Message of the last failure. */
  error: string;
  attempts: number;
  parkedAt: Date;
}

/** Outcome of `retryDeadLetters`. */
export interface DeadLetterRetryResult {
  /** Parked events handled successfully now (and removed from the dead letters). */
  succeeded: number;
  /** Parked events that failed again (they stay parked, with one more attempt counted). */
  failed: number;
}
