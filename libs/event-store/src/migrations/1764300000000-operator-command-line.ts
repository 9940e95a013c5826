import { MigrationInterface, QueryRunner } from 'typeorm';
import { EventStoreRoles, eventStoreRoles } from '../database/roles';
import { EVENT_STORE_IMPORT, EVENT_STORE_IMPORT_SIGNATURE } from '../store/sql/event-store-import.sql';

/**
 * What the operator's command line needs from the schema (decision 0024):
 * - `event_store_subscriptions.rebuild_started_at`: a rebuild marks itself
 *   begun in its reset's transaction and clears the mark at the end of the
 *   log, so an interrupted rebuild resumes from its checkpoint;
 * - `event_store_import(tenant, events)`: stores exported events as they were
 *   (id, versions, timestamps, metadata, redaction status), idempotently by
 *   event id. Like the append: owned by the writer role, which row-level
 *   security binds, SECURITY DEFINER, executable by the runtime role only.
 */
export class OperatorCommandLine1764300000000 implements MigrationInterface {
  name = 'OperatorCommandLine1764300000000';

  constructor(private readonly roles: EventStoreRoles = eventStoreRoles()) {}

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of up(this.roles)) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION IF EXISTS ${EVENT_STORE_IMPORT_SIGNATURE}`);
    await queryRunner.query(`ALTER TABLE event_store_subscriptions DROP COLUMN IF EXISTS rebuild_started_at`);
  }
}

function up(r: EventStoreRoles): string[] {
  return [
    `ALTER TABLE event_store_subscriptions ADD COLUMN rebuild_started_at timestamptz`,
    EVENT_STORE_IMPORT,
    // ALTER … OWNER TO by a non-superuser needs the new owner to have CREATE on the schema; granted for the statement only.
    `DO $do$
     BEGIN
       EXECUTE format('GRANT CREATE ON SCHEMA %I TO %I', current_schema(), '${r.writer}');
       EXECUTE format('ALTER FUNCTION ${EVENT_STORE_IMPORT_SIGNATURE} OWNER TO %I', '${r.writer}');
       EXECUTE format('ALTER FUNCTION ${EVENT_STORE_IMPORT_SIGNATURE} SECURITY DEFINER SET search_path = %I, pg_temp', current_schema());
       EXECUTE format('REVOKE CREATE ON SCHEMA %I FROM %I', current_schema(), '${r.writer}');
     END $do$`,
    `REVOKE EXECUTE ON FUNCTION ${EVENT_STORE_IMPORT_SIGNATURE} FROM PUBLIC`,
    `GRANT EXECUTE ON FUNCTION ${EVENT_STORE_IMPORT_SIGNATURE} TO ${r.runtime}`,
  ];
}
