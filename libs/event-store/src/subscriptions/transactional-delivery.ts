import { Logger } from '@nestjs/common';
import { isRedactionMarker, toEventsRedacted } from '../redaction/redaction-marker';
import { CheckpointedEvent } from '../store/event-store.service';
import { toCheckpointTransaction } from './checkpoint-transaction';
import { describeError } from './dead-letter-store';
import { DeliveryRun, EventDelivery } from './event-delivery';
import { RetryOrPark } from './retry-or-park';
import { SubscriptionCursor } from './subscription-cursor';
import { CheckpointFencedError } from './subscription-store';
import { TransactionalHandler } from './worker-definition';

/**
 * Delivery to a transactional handler (a projection): a chunk of events is
 * applied and the checkpoint moved past it in one transaction, hence
 * exactly once. A failing chunk is applied again event by event, so that
 * only the failing event is retried and, in the end, parked.
 */
export class TransactionalDelivery implements EventDelivery {
  private chunk: CheckpointedEvent[] = [];

  constructor(
    private readonly handler: TransactionalHandler,
    private readonly batchSize: number,
    private readonly cursor: SubscriptionCursor,
    private readonly retries: RetryOrPark,
    private readonly run: DeliveryRun,
    private readonly logger: Logger,
  ) {}

  async accept(event: CheckpointedEvent): Promise<number> {
    this.chunk.push(event);
    return this.chunk.length >= this.batchSize ? this.applyChunk() : 0;
  }

  async settle(): Promise<number> {
    return 0;
  }

  async finish(): Promise<number> {
    return this.chunk.length && !this.run.shouldStop ? this.applyChunk() : 0;
  }

  private async applyChunk(): Promise<number> {
    const chunk = this.chunk;
    this.chunk = [];
    if (chunk.length > 1) {
      try {
        await this.applyInTransaction(chunk);
        return chunk.length;
      } catch (error) {
        if (error instanceof CheckpointFencedError) throw error;
        // Isolate the failing event: one transaction per event, with retries.
        this.logger.warn(`A chunk of ${chunk.length} events failed (${describeError(error)}); applying them one by one`);
      }
    }
    for (const event of chunk) await this.retries.handle(event, () => this.applyInTransaction([event]));
    return chunk.length;
  }

  /** Applies events and moves the checkpoint past the last one, in one transaction. */
  private async applyInTransaction(events: CheckpointedEvent[]): Promise<void> {
    await this.cursor.moveWith(events[events.length - 1].checkpoint, 'applyProjection', async (runner) => {
      const tx = toCheckpointTransaction(runner);
      // The handler sees the plain event; the checkpoint is the worker's business.
      for (const { checkpoint: _checkpoint, ...event } of events) {
        if (!isRedactionMarker(event)) await this.handler.apply(event, tx);
        else if (this.handler.onRedacted) await this.handler.onRedacted(toEventsRedacted(event), tx);
      }
    });
  }
}
