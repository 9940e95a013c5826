import { MigrationInterface, QueryRunner } from 'typeorm';
import { EVENT_STORE_SUBJECT_KEYS } from '../redaction/sql/event-store-subject-keys.sql';

/**
 * GDPR erasure lookup by construction (decision 0013).
 *
 * `event_store_subject_keys(tenant_id, metadata)` yields one tenant-qualified
 * key per data subject of an event (`tenant || chr(31) || subject`, from
 * `metadata.subjectId` and each string of `metadata.subjectIds`), or NULL when
 * the event names no subject. A partial GIN index over it serves
 * `event_store_subject_keys(tenant_id, metadata) @> ARRAY[key]` and nothing
 * else can: no other index holds that expression, so the plan cannot drift to
 * a tenant index with a filter, with or without statistics. Tenant ids and
 * subject ids cannot contain control characters, so a key names exactly one
 * tenant and one subject.
 *
 * It replaces `ix_events_subjects` (GIN over all of `metadata`), which every
 * append paid for in WAL and which erasure could not even use under row-level
 * security (`jsonb @>` is not leakproof). Events without subjects are not in
 * the new index at all.
 */
export class SubjectKeysIndex1764100000500 implements MigrationInterface {
  name = 'SubjectKeysIndex1764100000500';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of UP) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const statement of DOWN) await queryRunner.query(statement);
  }
}

const UP = [
  EVENT_STORE_SUBJECT_KEYS,
  // eraseSubject: the chunk lookup (FIND_SUBJECT_EVENTS_SQL in redaction.sql.ts)
  `CREATE INDEX ix_events_subject_keys ON stored_domain_events
     USING gin (event_store_subject_keys(tenant_id, metadata))
     WHERE event_store_subject_keys(tenant_id, metadata) IS NOT NULL`,
  `DROP INDEX IF EXISTS ix_events_subjects`,
];

const DOWN = [
  `CREATE INDEX IF NOT EXISTS ix_events_subjects ON stored_domain_events USING gin (metadata jsonb_path_ops)`,
  `DROP INDEX IF EXISTS ix_events_subject_keys`,
  `DROP FUNCTION IF EXISTS event_store_subject_keys(text, jsonb)`,
];
