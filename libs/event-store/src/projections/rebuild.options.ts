import { DeliveryProgress } from '../subscriptions/subscription-status';

/** Options of `ProjectionManager.rebuild`. */
export interface RebuildOptions {
  /** Called after each applied chunk. @default progress is only logged */
  onProgress?: (progress: DeliveryProgress) => void;
  /**
   * Take the projection's lease from whichever process holds it (that process
   * stops delivering and stands by). When false, a lease held by another
   * process refuses the rebuild with SubscriptionLeaseHeldError naming it.
   * @default true
   */
  takeOver?: boolean;
  /**
   * Stops the rebuild after the chunk in hand once aborted; the chunks applied
   * stay, and the next rebuild resumes from them instead of starting over.
   */
  signal?: AbortSignal;
  /** Start over even when an interrupted rebuild could resume. @default false */
  restart?: boolean;
}

/** Outcome of `ProjectionManager.rebuild`. */
export interface RebuildResult {
  /** Events applied by this run. */
  processed: number;
  /** Whether the log was replayed to its end (false: interrupted; the next rebuild resumes). */
  completed: boolean;
  /** Whether this run resumed an interrupted rebuild instead of resetting the read model. */
  resumed: boolean;
}
