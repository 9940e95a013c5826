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

/** State of a subscription or projection. */
export interface SubscriptionStatus {
  name: string;
  kind: 'subscriber' | 'projection';
  /** Last event handled, or null before the first run created the row. */
  checkpoint: { transactionId: string; globalPosition: string } | null;
  /** Process holding the lease, if any. */
  owner: string | null;
  leaseUntil: Date | null;
  /** Whether this process holds the lease right now. */
  ownedHere: boolean;
}

/** How far a subscription or projection is behind the log. */
export interface SubscriptionLag {
  name: string;
  /** Global position of the newest event in the store. */
  headPosition: string;
  checkpointPosition: string;
  /** Events beyond the checkpoint that match the subscription's filters (not yet handled). */
  eventsBehind: number;
}
