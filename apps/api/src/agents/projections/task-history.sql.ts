// pk (tenant_id, task_id). TaskCreated fills title and priority; it may come
// after a TaskSpawned of the plan (which only creates the row) or, from an
// emitter, after later events: it never moves the status back.
export const UPSERT_CREATED_SQL = `
  INSERT INTO task_history AS t (tenant_id, task_id, title, status, priority, created_at, updated_at)
  VALUES ($1, $2, $3, 'created', $4, $5, $5)
  ON CONFLICT (tenant_id, task_id) DO UPDATE SET
    title = EXCLUDED.title,
    priority = COALESCE(EXCLUDED.priority, t.priority),
    created_at = LEAST(t.created_at, EXCLUDED.created_at)`;

// pk (tenant_id, task_id). One statement for every other task event: a null
// parameter keeps the column; the first event of a task creates its row.
//   $3 status  $4 agent_id  $5 occurred_at  $6 progress  $7 error  $8 started?  $9 finished?  $10 title
export const UPSERT_TRANSITION_SQL = `
  INSERT INTO task_history AS t
    (tenant_id, task_id, title, status, agent_id, progress, last_error, created_at, started_at, finished_at, duration_ms, updated_at)
  VALUES ($1, $2, $10::text, COALESCE($3::text, 'created'), $4::text, COALESCE($6::integer, 0), $7::text, $5::timestamptz,
          CASE WHEN $8::boolean THEN $5::timestamptz END, CASE WHEN $9::boolean THEN $5::timestamptz END,
          CASE WHEN $9::boolean THEN 0 END, $5::timestamptz)
  ON CONFLICT (tenant_id, task_id) DO UPDATE SET
    status = COALESCE($3::text, t.status),
    agent_id = COALESCE($4::text, t.agent_id),
    title = COALESCE(t.title, $10::text),
    progress = COALESCE($6::integer, t.progress),
    last_error = COALESCE($7::text, t.last_error),
    started_at = CASE WHEN $8::boolean THEN COALESCE(t.started_at, $5::timestamptz) ELSE t.started_at END,
    finished_at = CASE WHEN $9::boolean THEN $5::timestamptz ELSE t.finished_at END,
    duration_ms = CASE WHEN $9::boolean
      THEN GREATEST(0, round(extract(epoch FROM ($5::timestamptz - COALESCE(t.started_at, t.created_at))) * 1000))::bigint
      ELSE t.duration_ms END,
    updated_at = GREATEST(t.updated_at, $5::timestamptz)`;

// pk (tenant_id, task_id) of TaskSpawned: the plan names a task before its own stream starts.
export const INSERT_SPAWNED_SQL = `
  INSERT INTO task_history (tenant_id, task_id, status, agent_id, created_at, updated_at)
  VALUES ($1, $2, 'created', $3, $4, $4)
  ON CONFLICT (tenant_id, task_id) DO NOTHING`;

// pk (tenant_id, task_id, global_position): the timeline; no payload text in it.
export const INSERT_ENTRY_SQL = `
  INSERT INTO task_history_entries (tenant_id, task_id, global_position, event_type, status, agent_id, occurred_at)
  SELECT $1, $2, $3::bigint, $4, status, $5, $6 FROM task_history WHERE tenant_id = $1 AND task_id = $2
  ON CONFLICT DO NOTHING`;

// pk. GDPR: title and error text came from the redacted events; they go.
export const BLANK_TASK_TEXT_SQL = `
  UPDATE task_history SET
    title = CASE WHEN $3::boolean THEN NULL ELSE title END,
    last_error = CASE WHEN $4::boolean THEN NULL ELSE last_error END
  WHERE tenant_id = $1 AND task_id = ANY($2::text[])`;

export const RESET_TASK_HISTORY_SQL = [`DELETE FROM task_history_entries`, `DELETE FROM task_history`];

// ix_task_history_tenant_created
export const LIST_TASKS_SQL = `
  SELECT * FROM task_history
   WHERE tenant_id = $1 AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR agent_id = $3)
   ORDER BY created_at DESC, task_id
   LIMIT $4`;

// pk
export const GET_TASK_SQL = `SELECT * FROM task_history WHERE tenant_id = $1 AND task_id = $2`;

// pk (tenant_id, task_id, …) in timeline order
export const TASK_TIMELINE_SQL = `
  SELECT global_position::text AS global_position, event_type, status, agent_id, occurred_at
    FROM task_history_entries WHERE tenant_id = $1 AND task_id = $2 ORDER BY global_position`;

// ix_task_history_tenant_created: tasks created in the range, by status.
export const TASK_COUNTS_SQL = `
  SELECT status, count(*)::integer AS n FROM task_history
   WHERE tenant_id = $1 AND ($2::timestamptz IS NULL OR created_at >= $2) AND ($3::timestamptz IS NULL OR created_at < $3)
   GROUP BY status`;

// Tasks completed in the range: their average duration (started, or created, to completed).
export const TASK_DURATION_SQL = `
  SELECT count(*)::integer AS n, avg(duration_ms)::float8 AS avg_ms FROM task_history
   WHERE tenant_id = $1 AND status = 'completed'
     AND ($2::timestamptz IS NULL OR finished_at >= $2) AND ($3::timestamptz IS NULL OR finished_at < $3)`;
