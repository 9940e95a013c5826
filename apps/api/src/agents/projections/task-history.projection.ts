import { Injectable } from '@nestjs/common';
import { EventProjection, EventsRedacted, ProjectionHandler, ProjectionTransaction, StoredDomainEvent } from '@nest-event-store/core';
import { AgentEvent, isAgentEvent } from '../catalogue/agent-event-guards';
import {
  BLANK_TASK_TEXT_SQL,
  INSERT_ENTRY_SQL,
  INSERT_SPAWNED_SQL,
  RESET_TASK_HISTORY_SQL,
  UPSERT_CREATED_SQL,
  UPSERT_TRANSITION_SQL,
} from './task-history.sql';

/** Stable name of the projection (keys its checkpoint). */
export const TASK_HISTORY = 'task-history';

/** Statuses of a task in TaskHistory. */
export const TASK_STATUSES = ['created', 'assigned', 'running', 'completed', 'failed', 'cancelled'] as const;

const TASK_TYPES = [
  'TaskCreated',
  'TaskAssigned',
  'TaskStarted',
  'TaskProgressed',
  'TaskCompleted',
  'TaskFailed',
  'TaskCancelled',
] as const;

/** A transition's parameters (null: keep the column). */
interface Transition {
  status: string | null;
  agentId?: string;
  progress?: number;
  error?: string;
  started?: boolean;
  finished?: boolean;
  title?: string;
}

/**
 * TaskHistory: what happened to each task. One row per task (status, agent,
 * progress, start, finish, duration) and its timeline (one entry per event,
 * without payload text). Task events on `Task` streams, and TaskSpawned of a
 * plan, change it. GDPR: title and error are free text; redacting the events
 * they came from blanks them.
 */
@Injectable()
@EventProjection({ name: TASK_HISTORY, eventTypes: [...TASK_TYPES, 'TaskSpawned'] })
export class TaskHistoryProjection implements ProjectionHandler {
  async apply(event: StoredDomainEvent, tx: ProjectionTransaction): Promise<void> {
    if (event.aggregateType === 'Plan' && isAgentEvent(event, 'TaskSpawned')) {
      await tx.query(INSERT_SPAWNED_SQL, [event.tenantId, event.data.taskId, event.data.agentId ?? null, event.occurredAt]);
      return this.entry(event, event.data.taskId, event.data.agentId, tx);
    }
    if (event.aggregateType !== 'Task' || !isAgentEvent(event, ...TASK_TYPES)) return;
    const key = [event.tenantId, event.aggregateId];
    if (isAgentEvent(event, 'TaskCreated')) {
      await tx.query(UPSERT_CREATED_SQL, [...key, event.data.title, event.data.priority ?? null, event.occurredAt]);
    } else {
      const t = transition(event);
      await tx.query(UPSERT_TRANSITION_SQL, [
        ...key,
        t.status,
        t.agentId ?? null,
        event.occurredAt,
        t.progress ?? null,
        t.error ?? null,
        t.started ?? false,
        t.finished ?? false,
        t.title ?? null,
      ]);
    }
    await this.entry(event, event.aggregateId, (event.data as { agentId?: string }).agentId, tx);
  }

  async onRedacted(redaction: EventsRedacted, tx: ProjectionTransaction): Promise<void> {
    const tasks = (...types: string[]) => [
      ...new Set(redaction.events.filter((e) => e.aggregateType === 'Task' && types.includes(e.eventType)).map((e) => e.aggregateId)),
    ];
    const titled = tasks('TaskCreated', 'TaskStarted');
    const failed = tasks('TaskFailed');
    if (titled.length) await tx.query(BLANK_TASK_TEXT_SQL, [redaction.tenantId, titled, true, false]);
    if (failed.length) await tx.query(BLANK_TASK_TEXT_SQL, [redaction.tenantId, failed, false, true]);
  }

  async reset(tx: ProjectionTransaction): Promise<void> {
    for (const sql of RESET_TASK_HISTORY_SQL) await tx.query(sql);
  }

  private async entry(event: StoredDomainEvent, taskId: string, agentId: string | undefined, tx: ProjectionTransaction): Promise<void> {
    await tx.query(INSERT_ENTRY_SQL, [event.tenantId, taskId, event.globalPosition, event.eventType, agentId ?? null, event.occurredAt]);
  }
}

function transition(e: AgentEvent<(typeof TASK_TYPES)[number]>): Transition {
  if (isAgentEvent(e, 'TaskAssigned')) return { status: 'assigned', agentId: e.data.agentId };
  if (isAgentEvent(e, 'TaskStarted')) return { status: 'running', agentId: e.data.agentId, started: true, title: e.data.title };
  if (isAgentEvent(e, 'TaskProgressed')) return { status: null, progress: e.data.percent };
  if (isAgentEvent(e, 'TaskCompleted')) return { status: 'completed', agentId: e.data.agentId, progress: 100, finished: true };
  if (isAgentEvent(e, 'TaskFailed')) return { status: 'failed', agentId: e.data.agentId, error: e.data.error, finished: true };
  if (isAgentEvent(e, 'TaskCancelled')) return { status: 'cancelled', agentId: e.data.agentId, finished: true };
  return { status: null };
}
