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
  /** Whether its worker runs in this process (false: delivery disabled here, or stopped). */
  runningHere: boolean;
  /** Projections: when a rebuild began that has not reached the end of the log yet (running, or interrupted and resumable); else null. */
  rebuildStartedAt: Date | null;
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

/** Progress of a rebuild or catch-up, reported after each applied chunk. */
export interface DeliveryProgress {
  name: string;
  /** Events handled so far in this run. */
  processed: number;
  /** Events that were beyond the checkpoint when the run started (may grow while it runs). */
  total: number;
  /** Global position of the last event handled. */
  globalPosition: string;
}
