import { EventStoreDatabase } from '../database/event-store-database';
import { ATTR, SPAN } from '../observability/span-attributes';
import { tracedRead } from '../observability/tracer';
import { EventValidationError } from '../errors/event-validation.error';
import { StreamCheckpoint, StreamEventsOptions } from '../types/read-options';
import { assertKnownOptions, assertOptionalInt, assertTenantId, isCheckpoint } from '../validation/rules';
import { EventColumns, GLOBAL_POSITION_COLUMN, TRANSACTION_ID_COLUMN } from './event-row';
import { HORIZON_COLUMN, STREAM_ALL_BATCH_SQL, STREAM_BATCH_SETTINGS, STREAM_BATCH_SQL, streamBatchStatement } from './stream-events.sql';

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
 * Reads the global order in batches, each one statement, until a batch
 * comes back short of the batch size (the reader has reached the
 * transaction horizon). The next batch is read while the caller works
 * through the current one, so database and consumer overlap; memory holds
 * at most two batches whatever the size of the log.
 *
 * On a pipelined pool the tenant's batches keep the horizon the first one
 * read (decision 0029) and compute it again only when a batch stops short
 * of it: the stream then ends at the first short batch read with a fresh
 * horizon, as it would if every batch computed its own.
 */
export async function* streamEventRows(
  database: EventStoreDatabase,
  options: { tenantId?: string; after: StreamCheckpoint; batchSize: number; eventTypes?: string[] },
): AsyncGenerator<EventColumns[]> {
  const eventTypes = options.eventTypes?.length ? options.eventTypes : null;
  const keepsHorizon = options.tenantId != null && database.pipelinesTenantReads;
  // A horizon a batch read earlier; undefined: the next batch reads a fresh one.
  let horizon: string | undefined;
  const freshText = streamBatchStatement(eventTypes !== null, 'fresh');
  const givenText = streamBatchStatement(eventTypes !== null, 'given');
  const fetchAfter = (after: StreamCheckpoint, given: string | undefined): Promise<EventColumns[]> => {
    // A batch span only inside a caller's trace: an idle subscription polls, and must not make a trace per poll.
    return tracedRead(SPAN.streamBatch, batchAttributes(options), () => readBatch(after, given), { onlyInTrace: true });
  };
  // Rows as arrays of EVENT_COLUMNS: the functions return stored_domain_events rows, in the same column order.
  const readBatch = (after: StreamCheckpoint, given: string | undefined): Promise<EventColumns[]> => {
    const parameters = [after.transactionId, after.globalPosition, options.batchSize, eventTypes];
    if (options.tenantId == null) return database.query<EventColumns>(STREAM_ALL_BATCH_SQL, parameters, 'streamEvents', 'array');
    if (!keepsHorizon) return database.query<EventColumns>(STREAM_BATCH_SQL, [...parameters, options.tenantId], 'streamEvents', 'array');
    const statement = {
      text: given === undefined ? freshText : givenText,
      values: [
        after.transactionId,
        after.globalPosition,
        options.batchSize,
        options.tenantId,
        ...(eventTypes ? [eventTypes] : []),
        ...(given === undefined ? [] : [given]),
      ],
      rowMode: 'array' as const,
    };
    return database.queryInTenant<EventColumns>(options.tenantId, statement, 'streamEvents', STREAM_BATCH_SETTINGS);
  };
  let after = options.after;
  let next: Promise<EventColumns[]> | undefined = fetchAfter(after, horizon);
  try {
    while (next) {
      const rows: EventColumns[] = await next;
      const fresh = horizon === undefined;
      next = undefined;
      if (rows.length > 0) {
        const last = rows[rows.length - 1];
        after = { transactionId: String(last[TRANSACTION_ID_COLUMN]), globalPosition: String(last[GLOBAL_POSITION_COLUMN]) };
        if (keepsHorizon && fresh) horizon = String(last[HORIZON_COLUMN]);
      }
      if (rows.length === options.batchSize) next = fetchAfter(after, horizon);
      // Short of a kept horizon: read on from here with a fresh one.
      else if (keepsHorizon && !fresh) next = fetchAfter(after, (horizon = undefined));
      if (rows.length > 0) yield rows;
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
