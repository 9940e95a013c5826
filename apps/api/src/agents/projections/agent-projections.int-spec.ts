import { Global, INestApplicationContext, Module } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { Test } from '@nestjs/testing';
import { EventStoreModule, EventStoreService, NewDomainEvent, ProjectionManager } from '@nest-event-store/core';
import {
  DatabaseMode,
  EventStoreDatabase,
  TestDatabase,
  createTestDatabase,
  describeEachBackend,
  waitForHorizon,
} from '@nest-event-store/core/testing';
import { AgentsModule } from '../agents.module';
import { agentsMigrations } from '../agents.migrations';
import { AgentsReader } from '../agents.reader';
import { AGENT_EVENT_CATALOGUE } from '../catalogue/agent-event-catalogue';
import { AGENT_STATE } from './agent-state.projection';
import { MEMORY_INDEX } from './memory-index.projection';
import { TASK_HISTORY } from './task-history.projection';

const PROJECTIONS = [AGENT_STATE, TASK_HISTORY, MEMORY_INDEX];
const STREAM_OF = new Map(AGENT_EVENT_CATALOGUE.map((e) => [e.eventType, e]));

/** An event of the catalogue: its stream comes from the catalogue entry and the payload's id field. */
type Given = [eventType: string, data: Record<string, unknown>, occurredAt?: string];

/** The app's DataSource, which AgentsReader reads with: here the store's own. */
@Global()
@Module({
  providers: [{ provide: getDataSourceToken(), useFactory: (db: EventStoreDatabase) => db.dataSource, inject: [EventStoreDatabase] }],
  exports: [getDataSourceToken()],
})
class StoreDataSourceModule {}

describeEachBackend('agent projections (given / when / then)', (mode: DatabaseMode) => {
  let database: TestDatabase;
  let app: INestApplicationContext;
  let store: EventStoreService;
  let reader: AgentsReader;
  let tenantCount = 0;

  beforeAll(async () => {
    database = await createTestDatabase(mode);
    const moduleRef = await Test.createTestingModule({
      imports: [
        EventStoreModule.forRoot({
          databaseUrl: database.databaseUrl,
          dataDir: database.dataDir,
          schemaMigrations: agentsMigrations(),
          delivery: { pollIntervalMs: 20 },
        }),
        StoreDataSourceModule,
        AgentsModule,
      ],
    }).compile();
    app = await moduleRef.init();
    store = app.get(EventStoreService);
    reader = app.get(AgentsReader);
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  const append = async (tenantId: string, events: Given[]) => {
    for (const [eventType, data, occurredAt] of events) {
      const entry = STREAM_OF.get(eventType)!;
      const event: NewDomainEvent = {
        aggregateType: entry.aggregateType,
        aggregateId: entry.idField ? String(data[entry.idField]) : 'system',
        eventType,
        data,
        occurredAt,
      };
      await store.appendEvent(event, tenantId);
    }
  };
  const caughtUp = async () => {
    await waitForHorizon(app.get(EventStoreDatabase));
    for (const name of PROJECTIONS) await app.get(ProjectionManager).waitUntilCaughtUp(name);
  };

  /** One scenario in a tenant of its own: given history, when new events, then the read model. */
  const given = (...history: Given[]) => {
    const tenantId = `gwt-${++tenantCount}`;
    return {
      when: (...events: Given[]) => ({
        then: async (check: (read: AgentsReader, tenantId: string) => Promise<void>) => {
          await append(tenantId, history);
          await caughtUp();
          await append(tenantId, events);
          await caughtUp();
          await check(reader, tenantId);
        },
      }),
    };
  };

  describe('AgentState', () => {
    it('an agent that starts a task is working on it; finishing it makes the agent idle', () =>
      given(['AgentSpawned', { agentId: 'a1', name: 'Planner', agentType: 'planner' }], ['TaskAssigned', { taskId: 't1', agentId: 'a1' }])
        .when(['TaskStarted', { taskId: 't1', agentId: 'a1' }])
        .then(async (read, tenant) => {
          expect(await read.getAgent(tenant, 'a1')).toMatchObject({ name: 'Planner', status: 'working', currentTaskId: 't1' });
          await append(tenant, [['TaskCompleted', { taskId: 't1', agentId: 'a1' }]]);
          await caughtUp();
          expect(await read.getAgent(tenant, 'a1')).toMatchObject({ status: 'idle', currentTaskId: null });
        }));

    it('a task finishing that is not the current one leaves the agent as it is', () =>
      given(['AgentRegistered', { agentId: 'a2' }], ['TaskStarted', { taskId: 't2', agentId: 'a2' }])
        .when(['TaskCancelled', { taskId: 'other', agentId: 'a2' }])
        .then(async (read, tenant) => {
          expect(await read.getAgent(tenant, 'a2')).toMatchObject({ status: 'working', currentTaskId: 't2' });
        }));

    it('actions and errors are counted; the last one is kept; termination is final state', () =>
      given(['AgentRegistered', { agentId: 'a3' }], ['AgentActionPerformed', { agentId: 'a3', action: 'search' }])
        .when(
          ['AgentActionPerformed', { agentId: 'a3', action: 'write' }],
          ['AgentErrorOccurred', { agentId: 'a3', error: 'rate limited' }],
          ['AgentTerminated', { agentId: 'a3', exitCode: 1 }],
        )
        .then(async (read, tenant) => {
          expect(await read.getAgent(tenant, 'a3')).toMatchObject({
            status: 'terminated',
            lastAction: 'write',
            lastError: 'rate limited',
            actions: 2,
            errors: 1,
            lastEventType: 'AgentTerminated',
          });
          expect((await read.listAgents(tenant, 'terminated', 10)).map((a) => a.id)).toEqual(['a3']);
        }));
  });

  describe('TaskHistory', () => {
    it('a started and completed task has its duration and a timeline of every event', () =>
      given(
        ['TaskSpawned', { planId: 'p1', taskId: 't1', agentId: 'a1' }, '2026-01-01T09:00:00Z'],
        ['TaskCreated', { taskId: 't1', title: 'Write docs', priority: 'low' }, '2026-01-01T09:00:01Z'],
        ['TaskStarted', { taskId: 't1', agentId: 'a1' }, '2026-01-01T10:00:00Z'],
      )
        .when(
          ['TaskProgressed', { taskId: 't1', percent: 50 }, '2026-01-01T10:10:00Z'],
          ['TaskCompleted', { taskId: 't1' }, '2026-01-01T10:30:00Z'],
        )
        .then(async (read, tenant) => {
          const task = await read.getTask(tenant, 't1');
          expect(task).toMatchObject({
            title: 'Write docs',
            priority: 'low',
            status: 'completed',
            agentId: 'a1',
            progress: 100,
            createdAt: '2026-01-01T09:00:00.000Z',
            startedAt: '2026-01-01T10:00:00.000Z',
            finishedAt: '2026-01-01T10:30:00.000Z',
            durationMs: 30 * 60_000,
          });
          expect(task!.timeline.map((e) => [e.eventType, e.status])).toEqual([
            ['TaskSpawned', 'created'],
            ['TaskCreated', 'created'],
            ['TaskStarted', 'running'],
            ['TaskProgressed', 'running'],
            ['TaskCompleted', 'completed'],
          ]);
        }));

    it('a failed task keeps its error; a task first seen from an emitter event still gets a row', () =>
      given(['TaskFailed', { taskId: 't2', error: 'timeout', retryable: true }])
        .when(['TaskStarted', { taskId: 't3', title: 'From the emitter' }])
        .then(async (read, tenant) => {
          expect(await read.getTask(tenant, 't2')).toMatchObject({ status: 'failed', lastError: 'timeout', durationMs: 0 });
          expect(await read.getTask(tenant, 't3')).toMatchObject({ status: 'running', title: 'From the emitter' });
          expect((await read.taskStatistics(tenant, {})).byStatus).toMatchObject({ failed: 1, running: 1 });
        }));
  });

  describe('MemoryIndex', () => {
    it('a stored key is indexed without its value, counted on reads, and marked when deleted or expired', () =>
      given(
        ['MemoryStored', { namespace: 'ns', key: 'k1', value: 'abc', ttlSeconds: 60, tags: ['a'] }, '2026-01-01T00:00:00Z'],
        ['MemoryStored', { namespace: 'ns', key: 'k2', value: [1, 2] }],
      )
        .when(
          ['MemoryRetrieved', { namespace: 'ns', key: 'k1' }],
          ['MemoryRetrieved', { namespace: 'ns', key: 'k1' }],
          ['MemoryDeleted', { namespace: 'ns', key: 'k2' }],
        )
        .then(async (read, tenant) => {
          const entries = await read.listMemory(tenant, 'ns', undefined, 10);
          expect(entries).toEqual([
            expect.objectContaining({ key: 'k1', status: 'active', valueBytes: 5, retrievals: 2, expiresAt: '2026-01-01T00:01:00.000Z' }),
            expect.objectContaining({ key: 'k2', status: 'deleted', valueBytes: 5 }),
          ]);
          expect(await read.listNamespaces(tenant, 10)).toEqual([
            expect.objectContaining({ namespace: 'ns', activeEntries: 1, totalEntries: 2 }),
          ]);
        }));

    it('storing a key again revives it and counts the write; redacting the events that carry the key removes the entry', () =>
      given(
        ['MemoryStored', { namespace: 'people', key: 'alice@example.com', value: 1 }],
        ['MemoryExpired', { namespace: 'people', key: 'alice@example.com' }],
      )
        .when(['MemoryStored', { namespace: 'people', key: 'alice@example.com', value: 2 }])
        .then(async (read, tenant) => {
          expect(await read.listMemory(tenant, 'people', undefined, 10)).toEqual([
            expect.objectContaining({ status: 'active', writes: 2 }),
          ]);
          // Erasure of the subject: every event that carries the key is redacted (the live model and a rebuild then agree).
          for (const event of (await store.getStream('people', tenant)).events)
            await store.redactEvent(event.eventId, tenant, { reason: 'erasure request', requestedBy: 'dpo' });
          await caughtUp();
          expect(await read.listMemory(tenant, 'people', undefined, 10)).toEqual([]);
        }));
  });

  it('a rebuild of each projection reproduces its read model', async () => {
    const snapshot = () =>
      Promise.all(
        ['agent_state', 'task_history', 'task_history_entries', 'memory_index'].map((table) =>
          app.get(EventStoreDatabase).query(`SELECT * FROM ${table} ORDER BY 1, 2, 3`, [], 'test'),
        ),
      );
    await caughtUp();
    const before = await snapshot();
    expect(before.every((rows) => rows.length > 0)).toBe(true);
    for (const name of PROJECTIONS) expect((await app.get(ProjectionManager).rebuild(name)).processed).toBeGreaterThan(0);
    await caughtUp();
    expect(await snapshot()).toEqual(before);
  });
});
