// pk (tenant_id, agent_id): the first event of an agent (its own or a task's) creates the row.
export const ENSURE_AGENT_SQL = `
  INSERT INTO agent_state (tenant_id, agent_id, status, first_seen_at, updated_at)
  VALUES ($1, $2, 'registered', $3, $3)
  ON CONFLICT (tenant_id, agent_id) DO NOTHING`;

// pk (tenant_id, agent_id). Right-hand sides see the old row: a finished task
// clears current_task_id (and makes the agent idle) only if it was the current one.
export const UPDATE_AGENT_SQL = `
  UPDATE agent_state SET
    status = CASE WHEN $7::boolean AND current_task_id = $6::text THEN 'idle' ELSE COALESCE($3::text, status) END,
    name = COALESCE($4::text, name),
    agent_type = COALESCE($5::text, agent_type),
    current_task_id = CASE
      WHEN $6::text IS NULL THEN current_task_id
      WHEN $7::boolean THEN (CASE WHEN current_task_id = $6::text THEN NULL ELSE current_task_id END)
      ELSE $6::text END,
    last_action = COALESCE($8::text, last_action),
    last_error = COALESCE($9::text, last_error),
    actions = actions + $10::integer,
    errors = errors + $11::integer,
    last_event_type = $12::text,
    updated_at = $13::timestamptz
  WHERE tenant_id = $1 AND agent_id = $2`;

// pk (tenant_id, agent_id). GDPR: free text copied from redacted events goes.
export const BLANK_AGENT_TEXT_SQL = `
  UPDATE agent_state SET
    last_action = CASE WHEN $3::boolean THEN NULL ELSE last_action END,
    last_error = CASE WHEN $4::boolean THEN NULL ELSE last_error END
  WHERE tenant_id = $1 AND agent_id = ANY($2::text[])`;

export const RESET_AGENT_STATE_SQL = `DELETE FROM agent_state`;

// ix_agent_state_tenant_updated
export const LIST_AGENTS_SQL = `
  SELECT * FROM agent_state
   WHERE tenant_id = $1 AND ($2::text IS NULL OR status = $2)
   ORDER BY updated_at DESC, agent_id
   LIMIT $3`;

// pk
export const GET_AGENT_SQL = `SELECT * FROM agent_state WHERE tenant_id = $1 AND agent_id = $2`;
