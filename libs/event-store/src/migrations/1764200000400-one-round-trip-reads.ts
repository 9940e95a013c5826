import { MigrationInterface, QueryRunner } from 'typeorm';
import { EventStoreRoles, eventStoreRoles } from '../database/roles';
import { COUNT_STORED_FUNCTION, COUNT_STORED_SIGNATURE } from '../store/sql/event-store-count-stored.sql';
import { READ_STREAM_FUNCTION, READ_STREAM_SIGNATURE } from '../store/sql/event-store-read-stream.sql';

const FUNCTIONS = [READ_STREAM_SIGNATURE, COUNT_STORED_SIGNATURE];

/**
 * Tenant reads in one round trip (decision 0021): `event_store_read_stream`
 * (getEventsForAggregate) and `event_store_count_stored` (the check before an
 * append with caller ids tries again after a conflict) set the tenant inside
 * the statement, where a tenant transaction took four (BEGIN, set_config,
 * SELECT, COMMIT). Like event_store_read_batch after
 * LeastPrivilege1764100000600: owned by the writer role, which row-level
 * security binds (so the tenant policy backs the tenant condition even for a
 * superuser login), SECURITY DEFINER, executable by the runtime role only.
 */
export class OneRoundTripReads1764200000400 implements MigrationInterface {
  name = 'OneRoundTripReads1764200000400';

  constructor(private readonly roles: EventStoreRoles = eventStoreRoles()) {}

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of up(this.roles)) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const signature of FUNCTIONS) await queryRunner.query(`DROP FUNCTION IF EXISTS ${signature}`);
  }
}

function up(r: EventStoreRoles): string[] {
  return [
    READ_STREAM_FUNCTION,
    COUNT_STORED_FUNCTION,
    // ALTER … OWNER TO by a non-superuser needs the new owner to have CREATE
    // on the schema; granted for the statement's duration only.
    `DO $do$
     DECLARE
       v_fn text;
     BEGIN
       EXECUTE format('GRANT CREATE ON SCHEMA %I TO %I', current_schema(), '${r.writer}');
       FOREACH v_fn IN ARRAY ARRAY[${FUNCTIONS.map((f) => `'${f}'`).join(', ')}] LOOP
         EXECUTE format('ALTER FUNCTION %s OWNER TO %I', v_fn, '${r.writer}');
         EXECUTE format('ALTER FUNCTION %s SECURITY DEFINER SET search_path = %I, pg_temp', v_fn, current_schema());
       END LOOP;
       EXECUTE format('REVOKE CREATE ON SCHEMA %I FROM %I', current_schema(), '${r.writer}');
     END $do$`,
    `REVOKE EXECUTE ON FUNCTION ${FUNCTIONS.join(', ')} FROM PUBLIC`,
    `GRANT EXECUTE ON FUNCTION ${FUNCTIONS.join(', ')} TO ${r.runtime}`,
  ];
}
