import { Logger } from '@nestjs/common';
import { CheckpointedEvent } from '../store/event-store.service';
import { RetryPolicy, retryDelay } from './delivery.options';
import { describeError } from './dead-letter-store';
import { DeliveryRun } from './event-delivery';
import { sleep } from './sleep';
import { SubscriptionCursor } from './subscription-cursor';
import { CheckpointFencedError, SubscriptionStore } from './subscription-store';

/** Thrown out of a retry wait when the run stops: the event stays beyond the checkpoint. */
export class StopSignal extends Error {}

/**
 * Retries one event's handling with backoff, and after the last attempt
 * parks it as a dead letter, moving the checkpoint past it in the same
 * transaction so that delivery goes on with the next event.
 */
export class RetryOrPark {
  constructor(
    private readonly policy: Required<RetryPolicy>,
    private readonly cursor: SubscriptionCursor,
    private readonly store: SubscriptionStore,
    private readonly run: DeliveryRun,
    private readonly logger: Logger,
  ) {}

  /**
   * Runs `attempt` until it succeeds or the attempts are used up.
   * @returns true when the event was parked instead of handled
   * @throws CheckpointFencedError at once (retrying cannot help), StopSignal when the run stops between attempts
   */
  async handle(event: CheckpointedEvent, attempt: () => Promise<void>): Promise<boolean> {
    for (let n = 1; ; n++) {
      try {
        await attempt();
        return false;
      } catch (error) {
        if (error instanceof CheckpointFencedError) throw error;
        if (await this.failedAttempt(event, error, n)) return true;
      }
    }
  }

  /**
   * Logs a failed attempt, then either waits for the next one (false) or,
   * after the last attempt, parks the event and moves past it (true).
   */
  private async failedAttempt(event: CheckpointedEvent, error: unknown, attempt: number): Promise<boolean> {
    const { maxAttempts } = this.policy;
    this.logger.warn(
      `Event ${event.eventId} (${event.eventType} at position ${event.globalPosition}) failed, attempt ${attempt}/${maxAttempts}: ${describeError(error)}`,
    );
    if (attempt >= maxAttempts) {
      await this.cursor.moveWith(event.checkpoint, 'parkEvent', (runner) => this.store.park(runner, event, error, attempt));
      this.logger.error(`Event ${event.eventId} parked as a dead letter after ${attempt} attempts`);
      return true;
    }
    await sleep(retryDelay(this.policy, attempt), this.run.signal);
    if (this.run.shouldStop) throw new StopSignal();
    return false;
  }
}
