// pk (tenant_id, requirement_id). The version guard makes a re-applied event a no-op.
export const UPSERT_CREATED_SQL = `
  INSERT INTO requirement_status_board (tenant_id, requirement_id, title, priority, status, version, updated_at)
  VALUES ($1, $2, $3, $4, 'DRAFT', $5, $6)
  ON CONFLICT (tenant_id, requirement_id) DO NOTHING`;

// pk (tenant_id, requirement_id)
export const UPDATE_FIELDS_SQL = `
  UPDATE requirement_status_board
     SET title = COALESCE($3, title), priority = COALESCE($4, priority), version = $5, updated_at = $6
   WHERE tenant_id = $1 AND requirement_id = $2 AND version < $5`;

// pk (tenant_id, requirement_id)
export const UPDATE_STATUS_SQL = `
  UPDATE requirement_status_board
     SET status = $3, version = $4, updated_at = $5
   WHERE tenant_id = $1 AND requirement_id = $2 AND version < $4`;

// pk (tenant_id, requirement_id). GDPR: the title came from a redacted event,
// so it goes; status, priority and version are not personal and stay.
export const BLANK_TITLES_SQL = `
  UPDATE requirement_status_board SET title = ''
   WHERE tenant_id = $1 AND requirement_id = ANY($2::text[])`;

export const RESET_SQL = `DELETE FROM requirement_status_board`;

// ix_requirement_status_board_tenant_updated
export const READ_BOARD_SQL = `
  SELECT requirement_id, title, priority, status, version, updated_at
    FROM requirement_status_board
   WHERE tenant_id = $1
   ORDER BY updated_at DESC, requirement_id
   LIMIT $2`;

// pk (tenant_id, …)
export const COUNT_BY_STATUS_SQL = `
  SELECT status, count(*)::integer AS n FROM requirement_status_board WHERE tenant_id = $1 GROUP BY status`;
