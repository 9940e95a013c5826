import { MigrationInterface, QueryRunner } from 'typeorm';
import { eventStoreRoles } from '@nest-event-store/core';

const TABLES = ['agent_state', 'task_history', 'task_history_entries', 'memory_index'];

/**
 * The read models of the agent-orchestration projections (AgentState,
 * TaskHistory, MemoryIndex). Written by the projections as the connecting
 * user; tenancy is a column that leads every key, and every read filters on it.
 */
export class CreateAgentReadModels1764200000500 implements MigrationInterface {
  name = 'CreateAgentReadModels1764200000500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE agent_state (
        tenant_id       text        NOT NULL,
        agent_id        text        NOT NULL,
        name            text,
        agent_type      text,
        status          text        NOT NULL,
        current_task_id text,
        last_action     text,
        last_error      text,
        actions         integer     NOT NULL DEFAULT 0,
        errors          integer     NOT NULL DEFAULT 0,
        last_event_type text,
        first_seen_at   timestamptz NOT NULL,
        updated_at      timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, agent_id)
      )`);
    // GET /api/agents: WHERE tenant_id = $1 [AND status = $2] ORDER BY updated_at DESC
    await q.query(`CREATE INDEX ix_agent_state_tenant_updated ON agent_state (tenant_id, updated_at DESC)`);
    await q.query(`
      CREATE TABLE task_history (
        tenant_id   text        NOT NULL,
        task_id     text        NOT NULL,
        title       text,
        status      text        NOT NULL,
        priority    text,
        agent_id    text,
        progress    integer     NOT NULL DEFAULT 0,
        last_error  text,
        created_at  timestamptz NOT NULL,
        started_at  timestamptz,
        finished_at timestamptz,
        duration_ms bigint,
        updated_at  timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, task_id)
      )`);
    // GET /api/tasks (most recent first) and the statistics by creation time.
    await q.query(`CREATE INDEX ix_task_history_tenant_created ON task_history (tenant_id, created_at DESC)`);
    await q.query(`
      CREATE TABLE task_history_entries (
        tenant_id       text        NOT NULL,
        task_id         text        NOT NULL,
        global_position bigint      NOT NULL,
        event_type      text        NOT NULL,
        status          text        NOT NULL,
        agent_id        text,
        occurred_at     timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, task_id, global_position)
      )`);
    await q.query(`
      CREATE TABLE memory_index (
        tenant_id         text        NOT NULL,
        namespace         text        NOT NULL,
        key               text        NOT NULL,
        status            text        NOT NULL,
        agent_id          text,
        tags              jsonb       NOT NULL DEFAULT '[]',
        value_bytes       integer     NOT NULL,
        ttl_seconds       integer,
        stored_event_id   uuid        NOT NULL,
        stored_at         timestamptz NOT NULL,
        expires_at        timestamptz,
        writes            integer     NOT NULL DEFAULT 1,
        retrievals        integer     NOT NULL DEFAULT 0,
        last_retrieved_at timestamptz,
        updated_at        timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, namespace, key)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [...TABLES].reverse()) await q.query(`DROP TABLE ${table}`);
  }
}

/** Grants the read models to the store's runtime role (README "Production roles"); after the store's 1764100000600. */
export class GrantAgentReadModels1764200000501 implements MigrationInterface {
  name = 'GrantAgentReadModels1764200000501';

  constructor(private readonly runtimeRole: string = eventStoreRoles().runtime) {}

  async up(q: QueryRunner): Promise<void> {
    for (const table of TABLES) await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ${table} TO ${this.runtimeRole}`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of TABLES) await q.query(`REVOKE ALL ON ${table} FROM ${this.runtimeRole}`);
  }
}

/** The agent module's migrations, for `EventStoreModule` options `migrations`, granting to the runtime role of `rolePrefix`. */
export function agentsMigrations(rolePrefix?: string): (new () => MigrationInterface)[] {
  const runtimeRole = eventStoreRoles(rolePrefix).runtime;
  class Grant extends GrantAgentReadModels1764200000501 {
    constructor() {
      super(runtimeRole);
    }
  }
  return [CreateAgentReadModels1764200000500, Grant];
}
