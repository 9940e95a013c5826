import { EventStoreDatabase } from '../database/event-store-database';
import { StreamCheckpoint } from '../types/read-options';
import { EventRow } from './event-row';
import { buildStreamBatchQuery } from './stream-events.sql';

/** The checkpoint before the first event. */
export const START_CHECKPOINT: StreamCheckpoint = { transactionId: '0', globalPosition: '0' };

/**
 * Reads the global order in batches, each in its own short transaction, until
 * a batch comes back empty (the reader has reached the transaction horizon).
 * Memory holds one batch at a time whatever the size of the log.
 */
export async function* streamEventRows(
  database: EventStoreDatabase,
  options: { tenantId?: string; after: StreamCheckpoint; batchSize: number; eventTypes?: string[] },
): AsyncGenerator<EventRow[]> {
  const sql = buildStreamBatchQuery(options.tenantId, options.eventTypes);
  let after = options.after;
  for (;;) {
    const params: unknown[] = [after.transactionId, after.globalPosition, options.batchSize];
    if (options.tenantId !== undefined) params.push(options.tenantId);
    if (options.eventTypes?.length) params.push(options.eventTypes);
    const read = (q: { query(sql: string, p: unknown[]): Promise<EventRow[]> }) => q.query(sql, params);
    const rows = options.tenantId !== undefined
      ? await database.runInTenant(options.tenantId, read, 'streamEvents')
      : await database.runAsSystem(read, 'streamEvents');
    if (rows.length === 0) return;
    yield rows;
    const last = rows[rows.length - 1];
    after = { transactionId: String(last.transaction_id), globalPosition: String(last.global_position) };
    if (rows.length < options.batchSize) return;
  }
}
