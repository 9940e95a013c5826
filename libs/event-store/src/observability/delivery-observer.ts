/** One event handled by a subscriber or projection of this process, as told to delivery observers. */
export interface DeliveryObservation {
  /** Name of the subscription or projection. */
  subscription: string;
  kind: 'subscriber' | 'projection';
  eventType: string;
  globalPosition: string;
  /**
   * Seconds from the event's storing transaction (`storedAt`) to the end of
   * its handler: how long the event waited plus how long it took. For a
   * projection the chunk's transaction commits just after.
   */
  latencySeconds: number;
}

/** Called after each successful handling; a throwing observer is ignored (it must not break delivery). */
export type DeliveryObserver = (observation: DeliveryObservation) => void;
