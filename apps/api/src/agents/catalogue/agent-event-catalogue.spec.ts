import { EventValidationError, StoredDomainEvent, validateEventSchema } from '@nest-event-store/core';
import { DEFAULT_EMITTER_MAPPINGS } from '@nest-event-store/core/event-emitter';
import { AGENT_EVENT_CATALOGUE, AGENT_EVENT_CATEGORIES, agentEventTypesByAggregate, listAgentEventTypes } from './agent-event-catalogue';
import { isAgentEvent, isMemoryEvent, isTaskEvent } from './agent-event-guards';

const stored = (eventType: string, data: Record<string, unknown> = {}, isRedacted = false) =>
  ({ eventType, data, isRedacted, aggregateType: 'Task', aggregateId: 't1' }) as unknown as StoredDomainEvent;

describe('agent event catalogue', () => {
  it('covers every category with unique types, each schema registered for its own type and version', () => {
    const types = AGENT_EVENT_CATALOGUE.map((e) => e.eventType);
    expect(new Set(types).size).toBe(types.length);
    expect(new Set(AGENT_EVENT_CATALOGUE.map((e) => e.category))).toEqual(new Set(AGENT_EVENT_CATEGORIES));
    for (const entry of AGENT_EVENT_CATALOGUE) {
      expect(Reflect.getMetadata('event-store:event-schema', entry.schema)).toEqual({ eventType: entry.eventType, version: entry.version });
      expect(entry.description.length).toBeGreaterThan(10);
    }
  });

  it('stores the twelve default emitter events as catalogue types of the right stream type', () => {
    const byType = new Map(AGENT_EVENT_CATALOGUE.map((e) => [e.eventType, e]));
    expect(Object.keys(DEFAULT_EMITTER_MAPPINGS)).toHaveLength(12);
    for (const mapping of Object.values(DEFAULT_EMITTER_MAPPINGS)) {
      expect(byType.get(mapping.eventType)?.aggregateType).toBe(mapping.aggregateType);
    }
  });

  it('lists by category without the schema classes, and declares types per aggregate type', () => {
    expect(listAgentEventTypes('planning').map((e) => e.eventType)).toEqual(['EpicPlanned', 'FeatureRequested', 'TaskSpawned']);
    expect(listAgentEventTypes()).toHaveLength(AGENT_EVENT_CATALOGUE.length);
    expect(listAgentEventTypes('system')[0]).not.toHaveProperty('schema');
    expect(agentEventTypesByAggregate().get('Memory')).toEqual(['MemoryStored', 'MemoryRetrieved', 'MemoryDeleted', 'MemoryExpired']);
  });

  it('validates payloads, naming the field', async () => {
    const schema = AGENT_EVENT_CATALOGUE.find((e) => e.eventType === 'TaskFailed')!.schema;
    await expect(validateEventSchema({ data: { taskId: 't1', error: 'boom', retryable: true } }, schema)).resolves.toBeUndefined();
    const error = await validateEventSchema({ data: { taskId: '', retryable: 'yes' } }, schema).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EventValidationError);
    expect((error as EventValidationError).violations.map((v) => v.field).sort()).toEqual(['data.error', 'data.retryable', 'data.taskId']);
  });

  it('type guards check the type, the category, and leave redacted events out', () => {
    expect(isAgentEvent(stored('TaskStarted'))).toBe(true);
    expect(isAgentEvent(stored('TaskStarted'), 'TaskCompleted', 'TaskStarted')).toBe(true);
    expect(isAgentEvent(stored('TaskStarted'), 'TaskCompleted')).toBe(false);
    expect(isAgentEvent(stored('RequirementCreated'))).toBe(false);
    expect(isAgentEvent(stored('TaskStarted', {}, true))).toBe(false);
    expect(isTaskEvent(stored('TaskProgressed'))).toBe(true);
    expect(isMemoryEvent(stored('TaskProgressed'))).toBe(false);
  });
});
