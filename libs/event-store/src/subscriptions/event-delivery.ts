import { CheckpointedEvent } from '../store/event-store.service';

/** What the follow loop tells a delivery about the run it is part of. */
export interface DeliveryRun {
  /** Stop requested or lease lost: finish the event or chunk in hand, start nothing new. */
  readonly shouldStop: boolean;
  /** Aborted on stop or lease loss, to cut waits short. */
  readonly signal: AbortSignal;
}

/**
 * Hands the events of one catch-up to a handler and moves the checkpoint
 * behind them. The follow loop feeds it events in the gap-safe global order;
 * each method returns how many events it has just completed (their
 * checkpoint moved), so the loop can count and report progress.
 */
export interface EventDelivery {
  /** The next event. */
  accept(event: CheckpointedEvent): Promise<number>;
  /** The read ended or was cut short (also on stop or error, unless the lease was lost): save what must not be delivered again. */
  settle(): Promise<number>;
  /** The read ended normally and the run goes on: complete what is still held back. */
  finish(): Promise<number>;
}
