/**
 * One round trip: the event_store_append function (sql/event-store-append.sql.ts)
 * switches to the tenant role, checks idempotency and expected versions and
 * inserts the whole batch, or raises and writes nothing.
 */
export const APPEND_EVENTS_SQL = `SELECT * FROM event_store_append($1, $2::jsonb, $3::jsonb, $4)`;

/**
 * Several appends in one transaction and one round trip,
 * decided in order, set-based: rows carry `append_index`, and a failed append one row with
 * its `error_*` columns instead of events. Parameter: a JSON array of
 * `{"tenant", "events", "expected", "clientIds"}`. The function: sql/event-store-append-group.sql.ts.
 */
export const APPEND_GROUP_SQL = `SELECT * FROM event_store_append_group($1::jsonb)`;

/** How many of the event ids ($2) the tenant ($1) has stored, in one round trip and no lock (migration 1764200000400). */
export const COUNT_STORED_SQL = `SELECT event_store_count_stored($1, $2::uuid[]) AS n`;

/** The same for groups holding an append sent again as a possible retry: one subtransaction per append (sql/event-store-append-each.sql.ts). */
export const APPEND_EACH_SQL = `SELECT * FROM event_store_append_each($1::jsonb)`;
