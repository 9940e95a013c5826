/**
 * One round trip: the event_store_append function (see the base migration)
 * switches to the tenant role, checks idempotency and expected versions and
 * inserts the whole batch, or raises and writes nothing.
 */
export const APPEND_EVENTS_SQL = `SELECT * FROM event_store_append($1, $2::jsonb, $3::jsonb)`;
