import { MigrationInterface, QueryRunner } from 'typeorm';
import { eventStoreRoles } from '@nest-event-store/core';

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

/**
 * The projection writes the board as the app's login. When that login is a
 * separate runtime login (README "Production roles"), it holds only what the
 * store's runtime group role was granted, so the board is granted to it too.
 * After the store's migration 1764100000600, which creates the role.
 */
export class GrantRequirementStatusBoard1764100000700 implements MigrationInterface {
  name = 'GrantRequirementStatusBoard1764100000700';

  constructor(private readonly runtimeRole: string = eventStoreRoles().runtime) {}

  async up(q: QueryRunner): Promise<void> {
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON requirement_status_board TO ${this.runtimeRole}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`REVOKE ALL ON requirement_status_board FROM ${this.runtimeRole}`);
  }
}

/**
 * The requirements domain's migrations, for `EventStoreModule` options
 * `migrations`, granting to the runtime role of the store's `rolePrefix`.
 */
export function requirementsMigrations(rolePrefix?: string): (new () => MigrationInterface)[] {
  const runtimeRole = eventStoreRoles(rolePrefix).runtime;
  class Grant extends GrantRequirementStatusBoard1764100000700 {
    constructor() {
      super(runtimeRole);
    }
  }
  return [CreateRequirementStatusBoard1764100000000, Grant];
}
