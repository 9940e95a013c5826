// pk (tenant_id, namespace, key). Storing again replaces the entry (and revives a deleted or expired one).
export const UPSERT_STORED_SQL = `
  INSERT INTO memory_index AS m
    (tenant_id, namespace, key, status, agent_id, tags, value_bytes, ttl_seconds, stored_event_id, stored_at, expires_at, updated_at)
  VALUES ($1, $2, $3, 'active', $4, $5::jsonb, $6, $7::integer, $8, $9::timestamptz,
          $9::timestamptz + make_interval(secs => $7::integer), $9::timestamptz)
  ON CONFLICT (tenant_id, namespace, key) DO UPDATE SET
    status = 'active', agent_id = EXCLUDED.agent_id, tags = EXCLUDED.tags, value_bytes = EXCLUDED.value_bytes,
    ttl_seconds = EXCLUDED.ttl_seconds, stored_event_id = EXCLUDED.stored_event_id, stored_at = EXCLUDED.stored_at,
    expires_at = EXCLUDED.expires_at, writes = m.writes + 1, updated_at = EXCLUDED.updated_at`;

// pk
export const MARK_RETRIEVED_SQL = `
  UPDATE memory_index SET retrievals = retrievals + 1, last_retrieved_at = $4, updated_at = $4
   WHERE tenant_id = $1 AND namespace = $2 AND key = $3`;

// pk
export const MARK_STATUS_SQL = `
  UPDATE memory_index SET status = $4, updated_at = $5
   WHERE tenant_id = $1 AND namespace = $2 AND key = $3`;

// GDPR: a key (and its tags) came from the payload of the MemoryStored that wrote the entry: the entry goes.
export const DELETE_REDACTED_SQL = `DELETE FROM memory_index WHERE tenant_id = $1 AND stored_event_id = ANY($2::uuid[])`;

export const RESET_MEMORY_INDEX_SQL = `DELETE FROM memory_index`;

// pk (tenant_id, …): namespaces of the tenant with their entry counts.
export const LIST_NAMESPACES_SQL = `
  SELECT namespace, count(*) FILTER (WHERE status = 'active')::integer AS active, count(*)::integer AS total,
         max(updated_at) AS updated_at
    FROM memory_index WHERE tenant_id = $1 GROUP BY namespace ORDER BY namespace LIMIT $2`;

// pk (tenant_id, namespace, key)
export const LIST_ENTRIES_SQL = `
  SELECT * FROM memory_index
   WHERE tenant_id = $1 AND namespace = $2 AND ($3::text IS NULL OR status = $3)
   ORDER BY key LIMIT $4`;
