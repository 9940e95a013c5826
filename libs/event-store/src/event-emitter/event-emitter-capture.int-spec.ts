import { INestApplicationContext, Injectable, Logger } from '@nestjs/common';
import { EventEmitter2, EventEmitterModule } from '@nestjs/event-emitter';
import { Test } from '@nestjs/testing';
import { IsOptional, IsString } from 'class-validator';
import { EventStoreDatabase } from '../database/event-store-database';
import { InvalidEventStoreOptionsError } from '../errors/invalid-options.error';
import { EventStoreModule } from '../event-store.module';
import { EventProjection } from '../projections/event-projection.decorator';
import { ProjectionHandler } from '../projections/projection-handler';
import { EventStoreService } from '../store/event-store.service';
import { DatabaseMode, TestDatabase, createTestDatabase, describeEachBackend } from '../testing';
import { waitForHorizon } from '../testing/wait-for-horizon';
import { EventSchema } from '../upcasting/event-schema.decorator';
import { DEFAULT_EMITTER_MAPPINGS } from './default-emitter-mappings';
import { EventEmitterCapture } from './event-emitter-capture';
import { EventStoreEventEmitterModule } from './event-store-event-emitter.module';

@EventSchema({ eventType: 'TaskStarted' })
class TaskStartedSchema {
  @IsString() taskId!: string;
  @IsOptional() @IsString() agentId?: string;
  @IsOptional() @IsString() n?: string;
}

// A read model that is briefly unavailable: the append fails while it throws.
let projectionFailuresLeft = 0;
@Injectable()
@EventProjection({ name: 'flaky-deployments', eventTypes: ['DeploymentStarted'], mode: 'inline' })
class FlakyDeployments implements ProjectionHandler {
  async apply(): Promise<void> {
    if (projectionFailuresLeft > 0) {
      projectionFailuresLeft--;
      throw new Error('read model locked');
    }
  }
  async reset(): Promise<void> {}
}

// One payload per default name, with the id field its mapping reads first.
const payloadFor = (name: string, n: string): Record<string, unknown> => {
  const [kind] = name.split(':');
  const idField = kind === 'system' ? 'systemId' : `${kind}Id`;
  return { tenantId: 'acme', [idField]: `${kind}-${n}`, n };
};

describeEachBackend('EventStoreEventEmitterModule', (mode: DatabaseMode) => {
  let database: TestDatabase;
  let app: INestApplicationContext;
  let store: EventStoreService;
  let emitter: EventEmitter2;
  let capture: EventEmitterCapture;
  let errors: jest.SpyInstance;

  beforeAll(async () => {
    database = await createTestDatabase(mode);
    const moduleRef = await Test.createTestingModule({
      imports: [
        EventEmitterModule.forRoot(),
        EventStoreModule.forRoot({ databaseUrl: database.databaseUrl, dataDir: database.dataDir }),
        EventStoreModule.forFeature({ schemas: [TaskStartedSchema] }),
        EventStoreEventEmitterModule.forRoot({ defaultTenantId: 'fallback', retry: { maxAttempts: 3, initialDelayMs: 5 } }),
      ],
      providers: [FlakyDeployments],
    }).compile();
    app = await moduleRef.init();
    store = app.get(EventStoreService);
    emitter = app.get(EventEmitter2);
    capture = app.get(EventEmitterCapture);
  });
  beforeEach(() => {
    errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  const settle = async () => {
    await capture.drain();
    await waitForHorizon(app.get(EventStoreDatabase));
  };

  it('stores every default emitter event as its mapped event, tenant from the payload', async () => {
    expect(capture.eventNames()).toEqual(Object.keys(DEFAULT_EMITTER_MAPPINGS));
    expect(capture.eventNames()).toHaveLength(12);
    for (const name of capture.eventNames()) emitter.emit(name, payloadFor(name, '1'));
    await settle();
    for (const [name, mapping] of Object.entries(DEFAULT_EMITTER_MAPPINGS)) {
      const { tenantId, ...data } = payloadFor(name, '1');
      const [stored] = await store.getEventsByType(tenantId as string, mapping.eventType);
      expect(stored).toMatchObject({
        aggregateType: mapping.aggregateType,
        aggregateId: Object.values(data)[0],
        eventType: mapping.eventType,
        data,
        metadata: { source: 'event-emitter', emitterEvent: name },
      });
    }
    expect(capture.stats()).toMatchObject({ captured: 12, failedAttempts: 0, deadLettered: 0, pending: 0 });
  });

  it('takes the id from the next field, and the default tenant when the payload has none', async () => {
    emitter.emit('agent:action', { id: 'agent-by-id', action: 'search' });
    emitter.emit('system:event', { message: 'booted' });
    await settle();
    expect((await store.getStream('agent-by-id', 'fallback')).events[0]).toMatchObject({
      eventType: 'AgentActionPerformed',
      data: { id: 'agent-by-id', action: 'search' },
    });
    expect((await store.getStream('system', 'fallback')).events[0]).toMatchObject({
      eventType: 'SystemEventRecorded',
      aggregateType: 'System',
    });
  });

  it('can be switched off and on at runtime', async () => {
    capture.disable();
    expect(capture.isEnabled()).toBe(false);
    emitter.emit('task:started', { tenantId: 'toggle', taskId: 'task-off' });
    await settle();
    expect(await store.getEventsByType('toggle', 'TaskStarted')).toEqual([]);
    capture.enable();
    emitter.emit('task:started', { tenantId: 'toggle', taskId: 'task-on' });
    await settle();
    expect((await store.getEventsByType('toggle', 'TaskStarted')).map((e) => e.aggregateId)).toEqual(['task-on']);
  });

  it('dead-letters a payload it cannot map or the schema rejects at once: logged with the name and counted', async () => {
    const before = capture.stats();
    emitter.emit('task:completed', { tenantId: 'acme', result: 'no id' });
    emitter.emit('task:started', { tenantId: 'acme', taskId: 'task-bad', unexpected: true });
    await settle();
    expect(capture.stats()).toMatchObject({ deadLettered: before.deadLettered + 2, failedAttempts: before.failedAttempts + 2 });
    const letters = capture.deadLetters().slice(-2);
    expect(letters).toEqual([
      expect.objectContaining({ eventName: 'task:completed', attempts: 1, error: 'EmitterCaptureMappingError' }),
      expect.objectContaining({
        eventName: 'task:started',
        attempts: 1,
        error: 'EventValidationError',
        reason: expect.stringMatching(/data\.unexpected/),
      }),
    ]);
    expect(errors.mock.calls.map(([message]) => String(message))).toEqual([
      expect.stringContaining("'task:completed'"),
      expect.stringContaining("'task:started'"),
    ]);
  });

  it('retries a failure that may pass, and stores the event once it does', async () => {
    const before = capture.stats();
    projectionFailuresLeft = 2;
    emitter.emit('deployment:started', { tenantId: 'acme', deploymentId: 'dep-flaky' });
    await settle();
    expect(capture.stats()).toMatchObject({
      captured: before.captured + 1,
      failedAttempts: before.failedAttempts + 2,
      retries: before.retries + 2,
      deadLettered: before.deadLettered,
    });
    expect((await store.getStream('dep-flaky', 'acme')).events).toHaveLength(1);
  });

  it('dead-letters after the last attempt, and retryDeadLetters stores it under the same event id', async () => {
    const before = capture.stats();
    projectionFailuresLeft = 3;
    emitter.emit('deployment:started', { tenantId: 'acme', deploymentId: 'dep-down' });
    await settle();
    expect(capture.stats()).toMatchObject({ deadLettered: before.deadLettered + 1, failedAttempts: before.failedAttempts + 3 });
    const letter = capture.deadLetters().find((l) => l.eventName === 'deployment:started')!;
    expect(letter).toMatchObject({ attempts: 3, reason: expect.stringMatching(/read model locked/) });
    expect(errors).toHaveBeenCalledWith(expect.stringContaining("'deployment:started' failed after 3 attempt(s)"));

    expect(await capture.retryDeadLetters()).toBe(1);
    const [stored] = (await store.getStream('dep-down', 'acme')).events;
    expect(stored.eventId).toBe(letter.eventId);
    // The two that cannot pass stay.
    expect(capture.deadLetters().map((l) => l.eventName)).toEqual(['task:completed', 'task:started']);
  });
});

describe('EventStoreEventEmitterModule.forRoot options', () => {
  it.each([
    [{ retry: { maxAttempts: 0 } }, 'eventEmitter.retry.maxAttempts'],
    [{ maxDeadLetters: -1 }, 'eventEmitter.maxDeadLetters'],
    [{ defaultTenant: 'acme' }, 'eventEmitter.defaultTenant'],
    [{ mappings: { 'x:y': { eventType: 'X', aggregateType: 'Y', aggregateIdFields: [] } } }, 'eventEmitter.mappings.x:y.aggregateIdFields'],
    [{ mappings: { 'x:y': { eventType: '', aggregateType: 'Y', aggregateIdFields: ['id'] } } }, 'eventEmitter.mappings.x:y.eventType'],
  ])('rejects %j naming %s', (options, option) => {
    expect(() => EventStoreEventEmitterModule.forRoot(options as never)).toThrow(InvalidEventStoreOptionsError);
    expect(() => EventStoreEventEmitterModule.forRoot(options as never)).toThrow(expect.objectContaining({ option }));
  });
});
