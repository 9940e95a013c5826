import { StoredDomainEvent } from '@nest-event-store/core';
import * as agent from './agent-lifecycle.events';
import * as ds from './deployment-system.events';
import * as memory from './memory.events';
import * as planning from './planning.events';
import * as session from './session.events';
import * as task from './task-lifecycle.events';
import { AGENT_EVENT_CATALOGUE, AgentEventCategory } from './agent-event-catalogue';

/** Payload type of each catalogue event type, at its current version. */
export interface AgentEventMap {
  AgentSpawned: agent.AgentSpawnedV1;
  AgentRegistered: agent.AgentRegisteredV1;
  AgentStateChanged: agent.AgentStateChangedV1;
  AgentActionPerformed: agent.AgentActionPerformedV1;
  AgentErrorOccurred: agent.AgentErrorOccurredV1;
  AgentUnregistered: agent.AgentUnregisteredV1;
  AgentTerminated: agent.AgentTerminatedV1;
  TaskCreated: task.TaskCreatedV1;
  TaskAssigned: task.TaskAssignedV1;
  TaskStarted: task.TaskStartedV1;
  TaskProgressed: task.TaskProgressedV1;
  TaskCompleted: task.TaskCompletedV1;
  TaskFailed: task.TaskFailedV1;
  TaskCancelled: task.TaskCancelledV1;
  MemoryStored: memory.MemoryStoredV1;
  MemoryRetrieved: memory.MemoryRetrievedV1;
  MemoryDeleted: memory.MemoryDeletedV1;
  MemoryExpired: memory.MemoryExpiredV1;
  SessionStarted: session.SessionStartedV1;
  SessionEnded: session.SessionEndedV1;
  ContextWindowUpdated: session.ContextWindowUpdatedV1;
  CheckpointCreated: session.CheckpointCreatedV1;
  CheckpointLoaded: session.CheckpointLoadedV1;
  EpicPlanned: planning.EpicPlannedV1;
  FeatureRequested: planning.FeatureRequestedV1;
  TaskSpawned: planning.TaskSpawnedV1;
  DeploymentStarted: ds.DeploymentStartedV1;
  DeploymentCompleted: ds.DeploymentCompletedV1;
  DeploymentFailed: ds.DeploymentFailedV1;
  SystemEventRecorded: ds.SystemEventRecordedV1;
}

/** A catalogue event type. */
export type AgentEventType = keyof AgentEventMap;

/** A stored event of one catalogue type, its payload typed. */
export type AgentEvent<T extends AgentEventType = AgentEventType> = T extends AgentEventType
  ? StoredDomainEvent<AgentEventMap[T] & Record<string, unknown>> & { eventType: T }
  : never;

const CATEGORY = new Map<string, AgentEventCategory>(AGENT_EVENT_CATALOGUE.map((e) => [e.eventType, e.category]));

/**
 * Whether a stored event is of a catalogue type (any of `types` when given).
 * The store validated its payload against the type's schema at append; events
 * read are upcast to the current version, so the payload has the typed shape.
 */
export function isAgentEvent<T extends AgentEventType>(event: StoredDomainEvent, ...types: T[]): event is AgentEvent<T> {
  if (!CATEGORY.has(event.eventType) || event.isRedacted) return false;
  return types.length === 0 || (types as string[]).includes(event.eventType);
}

/** Whether a stored event is a catalogue event of one category. */
export function isAgentEventOfCategory(event: StoredDomainEvent, category: AgentEventCategory): event is AgentEvent {
  return !event.isRedacted && CATEGORY.get(event.eventType) === category;
}

/** Agent lifecycle events. */
export const isAgentLifecycleEvent = (e: StoredDomainEvent): e is AgentEvent => isAgentEventOfCategory(e, 'agent');
/** Task lifecycle events. */
export const isTaskEvent = (e: StoredDomainEvent): e is AgentEvent => isAgentEventOfCategory(e, 'task');
/** Memory events. */
export const isMemoryEvent = (e: StoredDomainEvent): e is AgentEvent => isAgentEventOfCategory(e, 'memory');
