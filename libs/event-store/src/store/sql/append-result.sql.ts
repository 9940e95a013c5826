// Text shared by the append functions' definitions (store/sql/event-store-append*.sql.ts).

/** What an append returns of the rows it inserted: every column in table order, but the payload and metadata as NULL. */
export const RETURNING_WITHOUT_PAYLOAD = `RETURNING d.global_position, d.event_id, d.tenant_id, d.aggregate_type, d.aggregate_id,
       d.aggregate_version, d.event_type, d.event_version, d.occurred_at, d.stored_at,
       NULL::jsonb AS data, NULL::jsonb AS metadata, d.transaction_id, d.is_redacted, d.redacted_at`;

/** The result of the group appends: one row per stored event or per failed append, keyed by the append's index. */
export const GROUP_RESULT_COLUMNS = `
     append_index integer, error_code text, error_message text, error_detail text, error_constraint text,
     global_position bigint, event_id uuid, tenant_id text, aggregate_type text, aggregate_id text,
     aggregate_version integer, event_type text, event_version integer, occurred_at timestamptz,
     stored_at timestamptz, data jsonb, metadata jsonb, transaction_id xid8, is_redacted boolean,
     redacted_at timestamptz`;

/** The event columns of GROUP_RESULT_COLUMNS as NULLs, for rows that report an error. */
export const NO_EVENT = `NULL::bigint, NULL::uuid, NULL::text, NULL::text, NULL::text, NULL::integer, NULL::text,
     NULL::integer, NULL::timestamptz, NULL::timestamptz, NULL::jsonb, NULL::jsonb, NULL::xid8,
     NULL::boolean, NULL::timestamptz`;
