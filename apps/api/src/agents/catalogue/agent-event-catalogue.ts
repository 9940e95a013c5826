import { EventSchemaClass } from '@nest-event-store/core';
import * as agent from './agent-lifecycle.events';
import * as deploymentSystem from './deployment-system.events';
import * as memory from './memory.events';
import * as planning from './planning.events';
import * as session from './session.events';
import * as task from './task-lifecycle.events';

/** Categories of the agent-orchestration events (`list_event_types { category }`). */
export const AGENT_EVENT_CATEGORIES = ['agent', 'task', 'memory', 'session', 'planning', 'deployment', 'system'] as const;
/** One category. */
export type AgentEventCategory = (typeof AGENT_EVENT_CATEGORIES)[number];

/** One type of the catalogue, as data. */
export interface AgentEventTypeEntry {
  eventType: string;
  category: AgentEventCategory;
  /** One line: what happened. */
  description: string;
  /** Current schema version (appends at it are validated against `schema`). */
  version: number;
  /** Aggregate type of the streams the event belongs to (undeclared types on them are refused). */
  aggregateType: string;
  /** Payload field holding the stream's aggregate id (none for system events). */
  idField: string | null;
  schema: EventSchemaClass;
}

const entry = (
  eventType: string,
  category: AgentEventCategory,
  schema: EventSchemaClass,
  description: string,
): Omit<AgentEventTypeEntry, 'aggregateType' | 'idField'> => ({ eventType, category, description, version: 1, schema });

const STREAMS: Record<AgentEventCategory, { aggregateType: string; idField: string | null }> = {
  agent: { aggregateType: 'Agent', idField: 'agentId' },
  task: { aggregateType: 'Task', idField: 'taskId' },
  memory: { aggregateType: 'Memory', idField: 'namespace' },
  session: { aggregateType: 'Session', idField: 'sessionId' },
  planning: { aggregateType: 'Plan', idField: 'planId' },
  deployment: { aggregateType: 'Deployment', idField: 'deploymentId' },
  system: { aggregateType: 'System', idField: null },
};

/**
 * The typed event catalogue of the agent-orchestration module: every type
 * with its category, description, version, stream and payload schema. The
 * schemas are registered with the store (appends are validated), and the
 * aggregate types declare exactly these event types (others are refused).
 */
export const AGENT_EVENT_CATALOGUE: readonly AgentEventTypeEntry[] = [
  entry('AgentSpawned', 'agent', agent.AgentSpawnedV1, 'An orchestrator created an agent process'),
  entry('AgentRegistered', 'agent', agent.AgentRegisteredV1, 'An agent joined the orchestrator and can take tasks'),
  entry('AgentStateChanged', 'agent', agent.AgentStateChangedV1, 'An agent reported a new state (idle, working, waiting, blocked, error)'),
  entry('AgentActionPerformed', 'agent', agent.AgentActionPerformedV1, 'An agent did something worth recording (a tool call, a decision)'),
  entry('AgentErrorOccurred', 'agent', agent.AgentErrorOccurredV1, 'An agent hit an error'),
  entry('AgentUnregistered', 'agent', agent.AgentUnregisteredV1, 'An agent left the orchestrator'),
  entry('AgentTerminated', 'agent', agent.AgentTerminatedV1, 'An agent process ended'),
  entry('TaskCreated', 'task', task.TaskCreatedV1, 'A task was created'),
  entry('TaskAssigned', 'task', task.TaskAssignedV1, 'A task was given to an agent'),
  entry('TaskStarted', 'task', task.TaskStartedV1, 'Work on a task began'),
  entry('TaskProgressed', 'task', task.TaskProgressedV1, 'A task moved forward (percent done)'),
  entry('TaskCompleted', 'task', task.TaskCompletedV1, 'A task finished successfully'),
  entry('TaskFailed', 'task', task.TaskFailedV1, 'A task failed'),
  entry('TaskCancelled', 'task', task.TaskCancelledV1, 'A task was called off'),
  entry('MemoryStored', 'memory', memory.MemoryStoredV1, 'A value was remembered under a key of a namespace'),
  entry('MemoryRetrieved', 'memory', memory.MemoryRetrievedV1, 'A remembered value was read'),
  entry('MemoryDeleted', 'memory', memory.MemoryDeletedV1, 'A remembered value was deleted'),
  entry('MemoryExpired', 'memory', memory.MemoryExpiredV1, 'A remembered value outlived its time to live'),
  entry('SessionStarted', 'session', session.SessionStartedV1, 'An agent session began'),
  entry('SessionEnded', 'session', session.SessionEndedV1, 'An agent session ended'),
  entry('ContextWindowUpdated', 'session', session.ContextWindowUpdatedV1, "The session's context window filled or was compacted"),
  entry('CheckpointCreated', 'session', session.CheckpointCreatedV1, "The session's state was saved to resume from"),
  entry('CheckpointLoaded', 'session', session.CheckpointLoadedV1, 'The session resumed from a saved checkpoint'),
  entry('EpicPlanned', 'planning', planning.EpicPlannedV1, 'An epic was broken down into features'),
  entry('FeatureRequested', 'planning', planning.FeatureRequestedV1, 'A feature was asked for'),
  entry('TaskSpawned', 'planning', planning.TaskSpawnedV1, 'A plan spawned a task'),
  entry('DeploymentStarted', 'deployment', deploymentSystem.DeploymentStartedV1, 'A deployment began'),
  entry('DeploymentCompleted', 'deployment', deploymentSystem.DeploymentCompletedV1, 'A deployment succeeded'),
  entry('DeploymentFailed', 'deployment', deploymentSystem.DeploymentFailedV1, 'A deployment failed'),
  entry('SystemEventRecorded', 'system', deploymentSystem.SystemEventRecordedV1, 'Something the orchestrator itself reports'),
].map((e) => Object.freeze({ ...e, ...STREAMS[e.category] }));

/** The payload schemas, for `EventStoreModule.forFeature({ schemas })`. */
export const AGENT_EVENT_SCHEMAS: EventSchemaClass[] = AGENT_EVENT_CATALOGUE.map((e) => e.schema);

/** Event types declared per aggregate type (for `EventStoreService.declareEventTypes`). */
export function agentEventTypesByAggregate(): Map<string, string[]> {
  const byAggregate = new Map<string, string[]>();
  for (const e of AGENT_EVENT_CATALOGUE) byAggregate.set(e.aggregateType, [...(byAggregate.get(e.aggregateType) ?? []), e.eventType]);
  return byAggregate;
}

/** The catalogue's types of one category, or all of them. */
export function listAgentEventTypes(category?: AgentEventCategory): Omit<AgentEventTypeEntry, 'schema'>[] {
  return AGENT_EVENT_CATALOGUE.filter((e) => category === undefined || e.category === category).map(({ schema: _schema, ...rest }) => rest);
}
