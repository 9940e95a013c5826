import { EventStoreDatabase } from '../database/event-store-database';
import { StreamCheckpoint } from '../types/read-options';
import { EventRow } from './event-row';
import { STREAM_ALL_BATCH_SQL, STREAM_BATCH_SQL } from './stream-events.sql';

/** The checkpoint before the first event. */
export const START_CHECKPOINT: StreamCheckpoint = { transactionId: '0', globalPosition: '0' };

/**
 * Reads the global order in batches, each one statement, until
 * a batch comes back empty (the reader has reached the transaction horizon).
 * The next batch is read while the caller works through the current one, so
 * database and consumer overlap; memory holds at most two batches whatever
 * the size of the log.
 */
export async function* streamEventRows(
  database: EventStoreDatabase,
  options: { tenantId?: string; after: StreamCheckpoint; batchSize: number; eventTypes?: string[] },
): AsyncGenerator<EventRow[]> {
  const eventTypes = options.eventTypes?.length ? options.eventTypes : null;
  const fetchAfter = (after: StreamCheckpoint): Promise<EventRow[]> => {
    const parameters = [after.transactionId, after.globalPosition, options.batchSize, eventTypes];
    return options.tenantId == null
      ? database.query<EventRow>(STREAM_ALL_BATCH_SQL, parameters, 'streamEvents')
      : database.query<EventRow>(STREAM_BATCH_SQL, [...parameters, options.tenantId], 'streamEvents');
  };
  let next: Promise<EventRow[]> | undefined = fetchAfter(options.after);
  try {
    while (next) {
      const rows: EventRow[] = await next;
      next = undefined;
      if (rows.length === 0) return;
      if (rows.length === options.batchSize) {
        const last = rows[rows.length - 1];
        next = fetchAfter({ transactionId: String(last.transaction_id), globalPosition: String(last.global_position) });
      }
      yield rows;
    }
  } finally {
    // The caller stopped early: the batch read ahead is not wanted, nor its failure.
    next?.catch(() => undefined);
  }
}
