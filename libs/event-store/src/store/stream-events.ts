import { EventStoreDatabase } from '../database/event-store-database';
import { ATTR, SPAN } from '../observability/span-attributes';
import { tracedRead } from '../observability/tracer';
import { EventValidationError } from '../errors/event-validation.error';
import { StreamCheckpoint, StreamEventsOptions } from '../types/read-options';
import { assertKnownOptions, assertOptionalInt, assertTenantId, isCheckpoint } from '../validation/rules';
import { EventRow } from './event-row';
import { STREAM_ALL_BATCH_SQL, STREAM_BATCH_SETTINGS, STREAM_BATCH_SQL, streamBatchStatement } from './stream-events.sql';

/** The checkpoint before the first event. */
export const START_CHECKPOINT: StreamCheckpoint = { transactionId: '0', globalPosition: '0' };

/**
 * Checks streamEvents' options.
 * @returns the checkpoint to read after
 * @throws EventValidationError naming the bad option
 */
export function checkStreamOptions(options: StreamEventsOptions): StreamCheckpoint {
  assertKnownOptions('options', options, ['tenantId', 'after', 'batchSize', 'eventTypes', 'raw']);
  if (options.tenantId !== undefined) assertTenantId(options.tenantId);
  assertOptionalInt('batchSize', options.batchSize, 1, 10_000);
  const after = options.after ?? START_CHECKPOINT;
  if (!isCheckpoint(after)) throw EventValidationError.of('after', 'must be a checkpoint from a streamed event');
  return after;
}

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
    // A batch span only inside a caller's trace: an idle subscription polls, and must not make a trace per poll.
    return tracedRead(SPAN.streamBatch, batchAttributes(options), () => readBatch(after), { onlyInTrace: true });
  };
  const readBatch = (after: StreamCheckpoint): Promise<EventRow[]> => {
    const parameters = [after.transactionId, after.globalPosition, options.batchSize, eventTypes];
    if (options.tenantId == null) return database.query<EventRow>(STREAM_ALL_BATCH_SQL, parameters, 'streamEvents');
    if (!database.pipelinesTenantReads)
      return database.query<EventRow>(STREAM_BATCH_SQL, [...parameters, options.tenantId], 'streamEvents');
    const statement = {
      text: streamBatchStatement(eventTypes !== null),
      values: [after.transactionId, after.globalPosition, options.batchSize, options.tenantId, ...(eventTypes ? [eventTypes] : [])],
    };
    return database.queryInTenant<EventRow>(options.tenantId, statement, 'streamEvents', STREAM_BATCH_SETTINGS);
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

function batchAttributes(options: { tenantId?: string; batchSize: number }) {
  return options.tenantId == null
    ? { [ATTR.batchSize]: options.batchSize }
    : { [ATTR.batchSize]: options.batchSize, [ATTR.tenantId]: options.tenantId };
}
