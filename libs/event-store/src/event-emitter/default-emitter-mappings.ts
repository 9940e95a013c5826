import { EmitterEventMapping } from './event-emitter-capture.options';

const task = (eventType: string): EmitterEventMapping => ({ eventType, aggregateType: 'Task', aggregateIdFields: ['taskId', 'id'] });
const agent = (eventType: string): EmitterEventMapping => ({ eventType, aggregateType: 'Agent', aggregateIdFields: ['agentId', 'id'] });
const deployment = (eventType: string): EmitterEventMapping => ({
  eventType,
  aggregateType: 'Deployment',
  aggregateIdFields: ['deploymentId', 'id'],
});

/**
 * The emitter event names agent orchestrators use, and the event each is
 * stored as. Task, agent and deployment events are streams of their task,
 * agent or deployment; system events share one `System` stream per tenant
 * unless the payload names a `systemId`.
 */
export const DEFAULT_EMITTER_MAPPINGS: Readonly<Record<string, EmitterEventMapping>> = Object.freeze({
  'task:started': task('TaskStarted'),
  'task:completed': task('TaskCompleted'),
  'task:error': task('TaskFailed'),
  'task:cancelled': task('TaskCancelled'),
  'agent:registered': agent('AgentRegistered'),
  'agent:action': agent('AgentActionPerformed'),
  'agent:error': agent('AgentErrorOccurred'),
  'agent:unregistered': agent('AgentUnregistered'),
  'deployment:started': deployment('DeploymentStarted'),
  'deployment:completed': deployment('DeploymentCompleted'),
  'deployment:error': deployment('DeploymentFailed'),
  'system:event': {
    eventType: 'SystemEventRecorded',
    aggregateType: 'System',
    aggregateIdFields: ['systemId'],
    defaultAggregateId: 'system',
  },
});
