import { isRedactionMarker, toEventsRedacted } from '../redaction/redaction-marker';
import { CheckpointedEvent } from '../store/event-store.service';
import { StreamCheckpoint } from '../types/read-options';
import { EventDelivery } from './event-delivery';
import { RetryOrPark } from './retry-or-park';
import { SubscriptionCursor } from './subscription-cursor';
import { SubscriberTarget } from './worker-definition';

/**
 * Delivery to a subscriber: one event at a time, outside any transaction,
 * at least once. The checkpoint moves once per batch, not once per event (a
 * crash re-delivers at most the events since the last save).
 */
export class SubscriberDelivery implements EventDelivery {
  /** The last event handled but not yet saved as the checkpoint. */
  private delivered?: StreamCheckpoint;
  private unsaved = 0;

  constructor(
    private readonly target: SubscriberTarget,
    private readonly batchSize: number,
    private readonly cursor: SubscriptionCursor,
    private readonly retries: RetryOrPark,
  ) {}

  async accept(event: CheckpointedEvent): Promise<number> {
    await this.deliver(event);
    this.unsaved++;
    return this.unsaved % this.batchSize === 0 ? this.save() : 0;
  }

  /** Also when stopping: what the subscriber handled is not delivered again. */
  settle(): Promise<number> {
    return this.save();
  }

  async finish(): Promise<number> {
    return 0;
  }

  private async deliver(event: CheckpointedEvent): Promise<void> {
    const { checkpoint, ...plain } = event;
    // A redaction marker goes to onRedacted, or nowhere: handle() never sees the store's own events.
    const marker = isRedactionMarker(plain);
    const onRedacted = this.target.onRedacted;
    if (marker && !onRedacted) {
      this.delivered = checkpoint;
      return;
    }
    const parked = await this.retries.handle(event, async () => {
      if (marker) await onRedacted!(toEventsRedacted(plain));
      else await this.target.handle(plain);
    });
    // Parking moved the checkpoint past this event (and so past everything delivered before it).
    this.delivered = parked ? undefined : checkpoint;
  }

  private async save(): Promise<number> {
    const saved = this.unsaved;
    this.unsaved = 0;
    const to = this.delivered;
    if (to) {
      await this.cursor.move(to);
      this.delivered = undefined;
    }
    return saved;
  }
}
