import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The status board read model (projection `requirement-status-board`). It is
 * written by the projection as the connecting user, so tenancy is a column
 * that leads the key and every read filters on it.
 */
export class CreateRequirementStatusBoard1764100000000 implements MigrationInterface {
  name = 'CreateRequirementStatusBoard1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE requirement_status_board (
        tenant_id      text        NOT NULL,
        requirement_id text        NOT NULL,
        title          text        NOT NULL,
        priority       text,
        status         text        NOT NULL,
        version        integer     NOT NULL,
        updated_at     timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, requirement_id)
      )`);
    // Serves the board read: WHERE tenant_id = $1 ORDER BY updated_at DESC.
    await q.query(`CREATE INDEX ix_requirement_status_board_tenant_updated ON requirement_status_board (tenant_id, updated_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE requirement_status_board`);
  }
}

/** The requirements domain's migrations, for `EventStoreModule` options `migrations`. */
export const REQUIREMENTS_MIGRATIONS = [CreateRequirementStatusBoard1764100000000];
