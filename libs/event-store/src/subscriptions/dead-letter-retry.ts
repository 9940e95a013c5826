import { Logger } from '@nestjs/common';
import { EventStoreDatabase } from '../database/event-store-database';
import { isRedactionMarker, toEventsRedacted } from '../redaction/redaction-marker';
import { EventStoreService } from '../store/event-store.service';
import { toCheckpointTransaction } from './checkpoint-transaction';
import { DeadLetter, DeadLetterRetryResult } from './dead-letter';
import { autocommit } from './autocommit';
import { deleteDeadLetter, describeError, recordFailedRetry } from './dead-letter-store';
import { runAsOwner } from './owner-transaction';
import { DeliveryTarget } from './worker-definition';

/**
 * Hands parked events to their subscription's handler again, once each, in
 * the order given. Successes leave the dead letters; failures stay with one
 * more attempt counted. A transactional handler applies the event and its
 * dead letter goes in one transaction.
 */
export async function retryDeadLetters(
  database: EventStoreDatabase,
  events: EventStoreService,
  target: DeliveryTarget,
  parked: DeadLetter[],
  logger: Logger,
): Promise<DeadLetterRetryResult> {
  const result: DeadLetterRetryResult = { succeeded: 0, failed: 0 };
  for (const letter of parked) {
    try {
      const event = await events.getEventById(letter.tenantId, letter.eventId);
      // A parked redaction marker goes back to onRedacted, as in live delivery.
      const marker = isRedactionMarker(event);
      if (target.kind === 'subscriber') {
        if (marker) await target.onRedacted?.(toEventsRedacted(event));
        else await target.handle(event);
        await deleteDeadLetter(autocommit(database, 'retryDeadLetters'), letter.id);
      } else {
        const applied = await runAsOwner(
          database,
          async (runner) => {
            // Removing the row first makes a concurrent retry of the same letter apply nothing.
            if (!(await deleteDeadLetter(runner, letter.id))) return false;
            const tx = toCheckpointTransaction(runner);
            if (marker) await target.handler.onRedacted?.(toEventsRedacted(event), tx);
            else await target.handler.apply(event, tx);
            return true;
          },
          'retryDeadLetters',
        );
        // Another retry took it: it counts there, not here.
        if (!applied) continue;
      }
      result.succeeded++;
    } catch (error) {
      result.failed++;
      logger.warn(`Retry of parked event ${letter.eventId} for '${letter.subscriptionName}' failed: ${describeError(error)}`);
      await recordFailedRetry(database, letter.id, error);
    }
  }
  return result;
}
