import { Injectable } from '@nestjs/common';
import { EventProjection, EventsRedacted, ProjectionHandler, ProjectionTransaction, StoredDomainEvent } from '@nest-event-store/core';
import { isAgentEvent } from '../catalogue/agent-event-guards';
import { BLANK_AGENT_TEXT_SQL, ENSURE_AGENT_SQL, RESET_AGENT_STATE_SQL, UPDATE_AGENT_SQL } from './agent-state.sql';

/** Stable name of the projection (keys its checkpoint). */
export const AGENT_STATE = 'agent-state';

const AGENT_TYPES = [
  'AgentSpawned',
  'AgentRegistered',
  'AgentStateChanged',
  'AgentActionPerformed',
  'AgentErrorOccurred',
  'AgentUnregistered',
  'AgentTerminated',
] as const;
const TASK_TYPES = ['TaskAssigned', 'TaskStarted', 'TaskCompleted', 'TaskFailed', 'TaskCancelled'] as const;

/** What one event changes on an agent's row (undefined: unchanged). */
interface AgentChange {
  status?: string;
  name?: string;
  agentType?: string;
  taskId?: string;
  /** The task finished: clear it if it is the current one. */
  taskFinished?: boolean;
  action?: string;
  error?: string;
  actions?: number;
  errors?: number;
}

/**
 * AgentState: what each agent is doing. One row per agent with its status,
 * current task, last action and error, and counts. Agent events (on `Agent`
 * streams) and the agent named by task events (on `Task` streams) change it.
 * GDPR: last action and error are free text; redacting the events they came
 * from blanks them.
 */
@Injectable()
@EventProjection({ name: AGENT_STATE, eventTypes: [...AGENT_TYPES, ...TASK_TYPES] })
export class AgentStateProjection implements ProjectionHandler {
  async apply(event: StoredDomainEvent, tx: ProjectionTransaction): Promise<void> {
    const target = this.change(event);
    if (!target) return;
    const [agentId, c] = target;
    await tx.query(ENSURE_AGENT_SQL, [event.tenantId, agentId, event.occurredAt]);
    await tx.query(UPDATE_AGENT_SQL, [
      event.tenantId,
      agentId,
      c.status ?? null,
      c.name ?? null,
      c.agentType ?? null,
      c.taskId ?? null,
      c.taskFinished ?? false,
      c.action ?? null,
      c.error ?? null,
      c.actions ?? 0,
      c.errors ?? 0,
      event.eventType,
      event.occurredAt,
    ]);
  }

  async onRedacted(redaction: EventsRedacted, tx: ProjectionTransaction): Promise<void> {
    const agents = (type: string) => [
      ...new Set(redaction.events.filter((e) => e.aggregateType === 'Agent' && e.eventType === type).map((e) => e.aggregateId)),
    ];
    const actions = agents('AgentActionPerformed');
    const errors = agents('AgentErrorOccurred');
    if (actions.length) await tx.query(BLANK_AGENT_TEXT_SQL, [redaction.tenantId, actions, true, false]);
    if (errors.length) await tx.query(BLANK_AGENT_TEXT_SQL, [redaction.tenantId, errors, false, true]);
  }

  async reset(tx: ProjectionTransaction): Promise<void> {
    await tx.query(RESET_AGENT_STATE_SQL);
  }

  private change(e: StoredDomainEvent): [string, AgentChange] | undefined {
    if (e.aggregateType === 'Agent') {
      if (isAgentEvent(e, 'AgentSpawned')) return [e.aggregateId, { status: 'spawned', name: e.data.name, agentType: e.data.agentType }];
      if (isAgentEvent(e, 'AgentRegistered'))
        return [e.aggregateId, { status: 'registered', name: e.data.name, agentType: e.data.agentType }];
      if (isAgentEvent(e, 'AgentStateChanged')) return [e.aggregateId, { status: e.data.state }];
      if (isAgentEvent(e, 'AgentActionPerformed')) return [e.aggregateId, { action: e.data.action, actions: 1 }];
      if (isAgentEvent(e, 'AgentErrorOccurred')) return [e.aggregateId, { status: 'error', error: e.data.error, errors: 1 }];
      if (isAgentEvent(e, 'AgentUnregistered')) return [e.aggregateId, { status: 'unregistered' }];
      if (isAgentEvent(e, 'AgentTerminated')) return [e.aggregateId, { status: 'terminated' }];
      return undefined;
    }
    if (e.aggregateType !== 'Task' || !isAgentEvent(e, ...TASK_TYPES) || !e.data.agentId) return undefined;
    const agentId = e.data.agentId;
    const taskId = e.aggregateId;
    if (isAgentEvent(e, 'TaskAssigned')) return [agentId, { taskId }];
    if (isAgentEvent(e, 'TaskStarted')) return [agentId, { taskId, status: 'working' }];
    return [agentId, { taskId, taskFinished: true }];
  }
}
