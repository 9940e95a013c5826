import { EventStoreError } from '../errors/event-store.error';
import { Queryable } from './queryable';

/**
 * Stored transaction ids are ahead of the server's: typically a logical dump
 * restored into a younger cluster. Readers order and checkpoint by transaction
 * id, so new events would sort before old ones and subscriptions would skip
 * them. The store refuses to start until this is repaired.
 */
export class TransactionHorizonError extends EventStoreError {
  readonly code = 'TRANSACTION_HORIZON';

  constructor(
    readonly maxStoredTransactionId: string,
    readonly serverNextTransactionId: string,
  ) {
    super(
      `Stored events carry transaction id ${maxStoredTransactionId}, but this server's next transaction id is ` +
        `${serverNextTransactionId}: the events were probably restored from a dump into a younger cluster. ` +
        `Gap-safe readers would skip new events. Restore with pg_upgrade or a physical backup, or advance the ` +
        `cluster's transaction ids past the stored ones, before starting the event store.`,
    );
  }
}

// Reads every tenant's rows: a function of the reader role
// (sql/event-store-transaction-horizon.sql.ts), served by ix_events_tx_order (max of its leading column).
const MAX_STORED_XID = `SELECT max_stored, next_xid, ahead FROM event_store_transaction_horizon()`;

/** Throws TransactionHorizonError when stored transaction ids are not below the server's horizon. */
export async function assertTransactionHorizon(q: Queryable): Promise<void> {
  const [row] = (await q.query(MAX_STORED_XID, [])) as { max_stored: string | null; next_xid: string; ahead: boolean }[];
  if (row.ahead) throw new TransactionHorizonError(row.max_stored!, row.next_xid);
}
