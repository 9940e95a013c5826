import { EventEmitter2 } from '@nestjs/event-emitter';
import { ProjectionManager } from '@nest-event-store/core';
import { EventEmitterCapture } from '@nest-event-store/core/event-emitter';
import { describeEachBackend } from '@nest-event-store/core/testing';
import { AGENT_STATE } from '../apps/api/src/agents/projections/agent-state.projection';
import { MEMORY_INDEX } from '../apps/api/src/agents/projections/memory-index.projection';
import { TASK_HISTORY } from '../apps/api/src/agents/projections/task-history.projection';
import { EventInput, appendVia, getAs, postAs } from './helpers/events';
import { TestApp, openTestApp } from './helpers/test-app';

describeEachBackend('agent orchestration (REST, emitter capture, projections)', (mode) => {
  let t: TestApp;
  let writer: string;
  let auditor: string;
  beforeAll(async () => {
    t = await openTestApp(mode);
    writer = t.token('acme', ['writer', 'auditor']);
    auditor = t.token('acme', ['auditor']);
  });
  afterAll(() => t?.close());

  const append = (aggregateType: string, id: string, events: EventInput[]) => appendVia(t, writer, id, events, { aggregateType });
  const caughtUp = async () => {
    await t.app.get(EventEmitterCapture).drain();
    await t.settle();
    const projections = t.app.get(ProjectionManager);
    for (const name of [AGENT_STATE, TASK_HISTORY, MEMORY_INDEX]) await projections.waitUntilCaughtUp(name);
  };

  it('refuses unknown and invalid agent events with a 400 naming the field', async () => {
    const unknown = await postAs(t, writer, '/api/aggregates/agent-x/events', {
      aggregateType: 'Agent',
      events: [{ eventType: 'AgentFlew', data: { agentId: 'agent-x' } }],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toEqual([expect.stringMatching(/^events\[0\]\.eventType: /)]);
    const invalid = await postAs(t, writer, '/api/aggregates/task-x/events', {
      aggregateType: 'Task',
      events: [{ eventType: 'TaskProgressed', data: { taskId: 'task-x', percent: 120, extra: 1 } }],
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.message).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^events\[0\]\.data\.percent: /),
        expect.stringMatching(/^events\[0\]\.data\.extra: /),
      ]),
    );
  });

  it('shows agents, tasks and memory from appended and emitted events', async () => {
    await append('Agent', 'agent-1', [
      { eventType: 'AgentSpawned', data: { agentId: 'agent-1', name: 'Coder', agentType: 'coder' } },
      { eventType: 'AgentActionPerformed', data: { agentId: 'agent-1', action: 'read_file' } },
    ]);
    await append('Task', 'task-1', [
      {
        eventType: 'TaskCreated',
        occurredAt: '2026-03-01T10:00:00.000Z',
        data: { taskId: 'task-1', title: 'Fix login', priority: 'high' },
      },
      { eventType: 'TaskAssigned', occurredAt: '2026-03-01T10:00:01.000Z', data: { taskId: 'task-1', agentId: 'agent-1' } },
    ]);
    await append('Memory', 'project', [
      { eventType: 'MemoryStored', data: { namespace: 'project', key: 'stack', value: { db: 'postgres' }, tags: ['tech'] } },
      { eventType: 'MemoryRetrieved', data: { namespace: 'project', key: 'stack' } },
    ]);
    const emitter = t.app.get(EventEmitter2);
    emitter.emit('task:started', { tenantId: 'acme', taskId: 'task-1', agentId: 'agent-1' });
    await caughtUp();
    emitter.emit('task:completed', { tenantId: 'acme', taskId: 'task-1', agentId: 'agent-1', summary: 'done' });
    await caughtUp();

    const agents = await getAs(t, auditor, '/api/agents');
    expect(agents.status).toBe(200);
    expect(agents.body.items).toEqual([
      expect.objectContaining({ id: 'agent-1', name: 'Coder', status: 'idle', currentTaskId: null, lastAction: 'read_file', actions: 1 }),
    ]);
    const task = await getAs(t, auditor, '/api/tasks/task-1');
    expect(task.status).toBe(200);
    expect(task.body).toMatchObject({ id: 'task-1', title: 'Fix login', status: 'completed', agentId: 'agent-1', progress: 100 });
    expect(task.body.timeline.map((e: { eventType: string }) => e.eventType)).toEqual([
      'TaskCreated',
      'TaskAssigned',
      'TaskStarted',
      'TaskCompleted',
    ]);
    expect((await getAs(t, auditor, '/api/tasks?status=completed')).body.items.map((x: { id: string }) => x.id)).toEqual(['task-1']);
    expect((await getAs(t, auditor, '/api/memory')).body.items).toEqual([
      expect.objectContaining({ namespace: 'project', activeEntries: 1 }),
    ]);
    expect((await getAs(t, auditor, '/api/memory/project')).body.items).toEqual([
      expect.objectContaining({ key: 'stack', status: 'active', tags: ['tech'], valueBytes: 17, retrievals: 1 }),
    ]);
  });

  it('counts tasks by status and their average duration in a date range', async () => {
    const run = (id: string, start: string, end: string | null, endType = 'TaskCompleted') =>
      append('Task', id, [
        { eventType: 'TaskStarted', occurredAt: start, data: { taskId: id } },
        ...(end
          ? [{ eventType: endType, occurredAt: end, data: endType === 'TaskFailed' ? { taskId: id, error: 'boom' } : { taskId: id } }]
          : []),
      ]);
    await run('stat-1', '2025-06-01T00:00:00.000Z', '2025-06-01T00:01:00.000Z');
    await run('stat-2', '2025-06-02T00:00:00.000Z', '2025-06-02T00:03:00.000Z');
    await run('stat-3', '2025-06-03T00:00:00.000Z', '2025-06-03T00:00:10.000Z', 'TaskFailed');
    await run('stat-4', '2025-06-04T00:00:00.000Z', null);
    await caughtUp();
    const res = await getAs(t, auditor, '/api/tasks/stats?from=2025-06-01T00:00:00Z&to=2025-07-01T00:00:00Z');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      totalTasks: 4,
      byStatus: { created: 0, assigned: 0, running: 1, completed: 2, failed: 1, cancelled: 0 },
      completedTasks: 2,
      averageDurationMs: 120_000,
      from: '2025-06-01T00:00:00.000Z',
      to: '2025-07-01T00:00:00.000Z',
    });
    const june2 = await getAs(t, auditor, '/api/tasks/stats?from=2025-06-02T00:00:00Z&to=2025-06-03T00:00:00Z');
    expect(june2.body).toMatchObject({ totalTasks: 1, completedTasks: 1, averageDurationMs: 180_000 });
  });

  it('answers bad queries with a 400 naming the field, unknown ids with 404', async () => {
    for (const [path, field] of [
      ['/api/agents?status=sleeping', 'status'],
      ['/api/agents?limit=0', 'limit'],
      ['/api/agents/event-types?category=weather', 'category'],
      ['/api/tasks?status=done', 'status'],
      ['/api/tasks?limit=501', 'limit'],
      ['/api/tasks/stats?from=yesterday', 'from'],
      ['/api/tasks/stats?from=2025-02-01T00:00:00Z&to=2025-01-01T00:00:00Z', 'to'],
      ['/api/memory/project?status=gone', 'status'],
    ]) {
      const res = await getAs(t, auditor, path);
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
      expect(res.body.message).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^${field}`))]));
    }
    for (const path of ['/api/agents/nobody', '/api/tasks/nothing', '/api/memory/forgotten']) {
      expect((await getAs(t, auditor, path)).status).toBe(404);
    }
  });

  it('lists the event catalogue by category', async () => {
    const res = await getAs(t, auditor, '/api/agents/event-types?category=memory');
    expect(res.status).toBe(200);
    expect(res.body.items.map((e: { eventType: string }) => e.eventType)).toEqual([
      'MemoryStored',
      'MemoryRetrieved',
      'MemoryDeleted',
      'MemoryExpired',
    ]);
    expect(res.body.items[0]).toEqual({
      eventType: 'MemoryStored',
      category: 'memory',
      description: expect.any(String),
      version: 1,
      aggregateType: 'Memory',
      idField: 'namespace',
    });
  });

  it('keeps tenants apart, and needs the auditor role and a token', async () => {
    const globex = t.token('globex', ['auditor']);
    expect((await getAs(t, globex, '/api/agents')).body.items).toEqual([]);
    expect((await getAs(t, globex, '/api/tasks')).body.items).toEqual([]);
    expect((await getAs(t, globex, '/api/memory')).body.items).toEqual([]);
    expect((await getAs(t, globex, '/api/agents/agent-1')).status).toBe(404);
    expect((await getAs(t, globex, '/api/tasks/task-1')).status).toBe(404);
    expect((await getAs(t, globex, '/api/memory/project')).status).toBe(404);
    expect((await getAs(t, globex, '/api/tasks/stats')).body).toMatchObject({ totalTasks: 0, averageDurationMs: null });
    const writerOnly = t.token('acme', ['writer']);
    for (const path of ['/api/agents', '/api/tasks', '/api/memory', '/api/tasks/stats']) {
      expect((await getAs(t, writerOnly, path)).status).toBe(403);
      expect((await t.http().get(path)).status).toBe(401);
    }
  });

  it('counts emitter captures in /api/metrics, failed ones included', async () => {
    const emitter = t.app.get(EventEmitter2);
    emitter.emit('agent:registered', { taskId: 'no tenant, no agent id' });
    await caughtUp();
    const metrics = await t.http().get('/api/metrics');
    expect(metrics.text).toMatch(/event_store_emitter_captures_total\{outcome="captured"\} 2/);
    expect(metrics.text).toMatch(/event_store_emitter_captures_total\{outcome="dead_lettered"\} 1/);
    expect(t.app.get(EventEmitterCapture).deadLetters()).toEqual([expect.objectContaining({ eventName: 'agent:registered' })]);
  });
});
