// Text shared by the append functions' definitions (store/sql/event-store-append*.sql.ts).

/**
 * A lookup of the events of `jsonb_to_recordset(...) AS e(event_id uuid, ...)`
 * among the tenant's stored ones, as a LATERAL join yielding `s(columns)`.
 * For EXECUTE with the tenant as $1: planned for each call with the table as
 * it is, never from a plan cached while it was small (decision 0014). One
 * probe of uq_stored_domain_events_event_id per event, LIMIT 1 keeping it a
 * nested loop whatever the estimates.
 */
export const storedLookup = (columns: string) => `CROSS JOIN LATERAL (
             SELECT ${columns} FROM stored_domain_events x
              WHERE x.tenant_id = $1 AND x.event_id = e.event_id
              LIMIT 1) s`;
