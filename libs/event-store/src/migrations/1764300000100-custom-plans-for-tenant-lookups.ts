import { MigrationInterface, QueryRunner } from 'typeorm';
import { COUNT_STORED_SIGNATURE } from '../store/sql/event-store-count-stored.sql';
import { EVENT_STORE_IMPORT_SIGNATURE } from '../store/sql/event-store-import.sql';

/** The functions whose lookups by (tenant, event id) must be planned with the table as it is now. */
const FUNCTIONS = ['event_store_append(text,jsonb,jsonb,boolean)', EVENT_STORE_IMPORT_SIGNATURE, COUNT_STORED_SIGNATURE];

/**
 * Plans the statements of the functions that look events up by tenant and
 * event id for every call, never from a plan cached on the connection
 * (decision 0014, "Plans cached while the table was small"). PL/pgSQL keeps a
 * generic plan per connection; one made while the table was nearly empty
 * prices every index starting with tenant_id alike and may probe through
 * ix_events_tenant_user with the event id as a Filter. Kept on a pooled
 * connection while the tenant grows, that plan scans the tenant's whole log
 * for every probed event: a 1000-event batch took seconds after a few
 * thousand single appends on a fresh database (`npm run bench` phases 1, 2,
 * then 3). A plan made per call sees the table's real size and takes the
 * unique index with its full key.
 */
export class CustomPlansForTenantLookups1764300000100 implements MigrationInterface {
  name = 'CustomPlansForTenantLookups1764300000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const fn of FUNCTIONS) await queryRunner.query(`ALTER FUNCTION ${fn} SET plan_cache_mode = force_custom_plan`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const fn of FUNCTIONS) await queryRunner.query(`ALTER FUNCTION ${fn} RESET plan_cache_mode`);
  }
}
