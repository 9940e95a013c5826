import { EventStoreDatabase } from '../database/event-store-database';

// One pass over uq_event_store_dead_letters (a handful of rows in a healthy store), grouped by its leading column.
const COUNT_DEAD_LETTERS_SQL = `
  SELECT subscription_name, count(*)::int AS parked
    FROM event_store_dead_letters
   GROUP BY subscription_name`;

/** How many events each subscription has parked, by subscription name (absent: none). For health checks and metrics. */
export async function countDeadLetters(database: EventStoreDatabase): Promise<Record<string, number>> {
  const rows = await database.query<{ subscription_name: string; parked: number }>(COUNT_DEAD_LETTERS_SQL, [], 'countDeadLetters');
  return Object.fromEntries(rows.map((r) => [r.subscription_name, Number(r.parked)]));
}
