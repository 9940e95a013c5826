import { EventStoreDatabase } from '../database/event-store-database';

// As the pool's login, a superuser in tests (no row-level security): is every stored event below the horizon?
const SETTLED_SQL = `
  SELECT coalesce(max(transaction_id) < (SELECT event_store_read_horizon()), true) AS settled
    FROM stored_domain_events`;

/**
 * Waits until every committed event is below the transaction horizon, so that
 * gap-safe reads (streamEvents, queryEvents, getEventsSince) return it. The
 * horizon only waits for transactions of the store's own database, so other
 * test files on the shared server no longer hold it back.
 */
export async function waitForHorizon(database: EventStoreDatabase, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await database.query<{ settled: boolean }>(SETTLED_SQL, [], 'waitForHorizon');
    if (row.settled) return;
    if (Date.now() > deadline) throw new Error(`stored events still beyond the transaction horizon after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
