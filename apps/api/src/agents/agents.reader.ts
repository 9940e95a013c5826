import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { StatisticsRange } from '@nest-event-store/core';
import { DataSource } from 'typeorm';
import { GET_AGENT_SQL, LIST_AGENTS_SQL } from './projections/agent-state.sql';
import { LIST_ENTRIES_SQL, LIST_NAMESPACES_SQL } from './projections/memory-index.sql';
import { TASK_STATUSES } from './projections/task-history.projection';
import { GET_TASK_SQL, LIST_TASKS_SQL, TASK_COUNTS_SQL, TASK_DURATION_SQL, TASK_TIMELINE_SQL } from './projections/task-history.sql';
import { AgentView, MemoryEntryView, NamespaceView, TaskDetailView, TaskStatisticsView, TaskView } from './dto/agent-views.dto';

type Row = Record<string, any>;
const iso = (value: Date | string | null): string | null => (value === null ? null : new Date(value).toISOString());

/**
 * Reads the three read models of one tenant (AgentState, TaskHistory,
 * MemoryIndex). The tables have no row-level security: every query filters
 * on the tenant. Eventually consistent with the log.
 */
@Injectable()
export class AgentsReader {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async listAgents(tenantId: string, status: string | undefined, limit: number): Promise<AgentView[]> {
    const rows = await this.query(LIST_AGENTS_SQL, [tenantId, status ?? null, limit]);
    return rows.map(toAgent);
  }

  async getAgent(tenantId: string, agentId: string): Promise<AgentView | undefined> {
    const [row] = await this.query(GET_AGENT_SQL, [tenantId, agentId]);
    return row && toAgent(row);
  }

  async listTasks(tenantId: string, filter: { status?: string; agentId?: string }, limit: number): Promise<TaskView[]> {
    const rows = await this.query(LIST_TASKS_SQL, [tenantId, filter.status ?? null, filter.agentId ?? null, limit]);
    return rows.map(toTask);
  }

  async getTask(tenantId: string, taskId: string): Promise<TaskDetailView | undefined> {
    const [row] = await this.query(GET_TASK_SQL, [tenantId, taskId]);
    if (!row) return undefined;
    const timeline = await this.query(TASK_TIMELINE_SQL, [tenantId, taskId]);
    return {
      ...toTask(row),
      timeline: timeline.map((e) => ({
        globalPosition: e.global_position,
        eventType: e.event_type,
        status: e.status,
        agentId: e.agent_id,
        occurredAt: iso(e.occurred_at)!,
      })),
    };
  }

  /** Tasks created in the range by status, and the average duration of those completed in it. */
  async taskStatistics(tenantId: string, range: StatisticsRange): Promise<TaskStatisticsView> {
    const params = [tenantId, range.from ?? null, range.to ?? null];
    const counts = await this.query(TASK_COUNTS_SQL, params);
    const [duration] = await this.query(TASK_DURATION_SQL, params);
    const byStatus = Object.fromEntries(TASK_STATUSES.map((s) => [s, 0])) as Record<string, number>;
    for (const { status, n } of counts) byStatus[status] = Number(n);
    return {
      totalTasks: Object.values(byStatus).reduce((a, b) => a + b, 0),
      byStatus,
      completedTasks: Number(duration.n),
      averageDurationMs: duration.avg_ms === null ? null : Math.round(Number(duration.avg_ms)),
      from: iso(range.from ?? null),
      to: iso(range.to ?? null),
    };
  }

  async listNamespaces(tenantId: string, limit: number): Promise<NamespaceView[]> {
    const rows = await this.query(LIST_NAMESPACES_SQL, [tenantId, limit]);
    return rows.map((r) => ({
      namespace: r.namespace,
      activeEntries: Number(r.active),
      totalEntries: Number(r.total),
      updatedAt: iso(r.updated_at)!,
    }));
  }

  async listMemory(tenantId: string, namespace: string, status: string | undefined, limit: number): Promise<MemoryEntryView[]> {
    const rows = await this.query(LIST_ENTRIES_SQL, [tenantId, namespace, status ?? null, limit]);
    return rows.map((r) => ({
      key: r.key,
      status: r.status,
      agentId: r.agent_id,
      tags: r.tags,
      valueBytes: Number(r.value_bytes),
      ttlSeconds: r.ttl_seconds === null ? null : Number(r.ttl_seconds),
      storedAt: iso(r.stored_at)!,
      expiresAt: iso(r.expires_at),
      writes: Number(r.writes),
      retrievals: Number(r.retrievals),
      lastRetrievedAt: iso(r.last_retrieved_at),
    }));
  }

  private query(sql: string, params: unknown[]): Promise<Row[]> {
    return this.dataSource.query(sql, params) as Promise<Row[]>;
  }
}

function toAgent(r: Row): AgentView {
  return {
    id: r.agent_id,
    name: r.name,
    agentType: r.agent_type,
    status: r.status,
    currentTaskId: r.current_task_id,
    lastAction: r.last_action,
    lastError: r.last_error,
    actions: Number(r.actions),
    errors: Number(r.errors),
    lastEventType: r.last_event_type,
    firstSeenAt: iso(r.first_seen_at)!,
    updatedAt: iso(r.updated_at)!,
  };
}

function toTask(r: Row): TaskView {
  return {
    id: r.task_id,
    title: r.title,
    status: r.status,
    priority: r.priority,
    agentId: r.agent_id,
    progress: Number(r.progress),
    lastError: r.last_error,
    createdAt: iso(r.created_at)!,
    startedAt: iso(r.started_at),
    finishedAt: iso(r.finished_at),
    durationMs: r.duration_ms === null ? null : Number(r.duration_ms),
    updatedAt: iso(r.updated_at)!,
  };
}
