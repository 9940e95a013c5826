import 'reflect-metadata';
import { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { IsIn, IsISO8601, IsString } from 'class-validator';
import { EventValidationError } from '../errors/event-validation.error';
import { EventStoreDatabase } from '../database/event-store-database';
import { EventStoreModule } from '../event-store.module';
import { EventStoreService } from '../store/event-store.service';
import { describeEachBackend } from '../testing/describe-each-backend';
import { TestDatabase, createTestDatabase } from '../testing/test-database';
import { EventData, NewDomainEvent, StoredDomainEvent } from '../types/stored-domain-event';
import { EventMigrationHandler } from './event-migration.handler';
import { EventSchema } from './event-schema.decorator';
import { EventUpcaster, EventUpcasterHandler } from './event-upcaster.decorator';

// The reference example: RequirementApproved v1 { approvedBy } → v2 adds
// approverRole (default REVIEWER) → v3 adds approvalTimestamp from the event's
// own occurredAt, so every replay yields the same value.
@EventUpcaster({ eventType: 'RequirementApproved', fromVersion: 1, toVersion: 2 })
class RequirementApprovedV1ToV2 implements EventUpcasterHandler {
  upcast(data: EventData): EventData {
    return { ...data, approverRole: 'REVIEWER' };
  }
}

@EventUpcaster({ eventType: 'RequirementApproved', fromVersion: 'v2', toVersion: 'v3' })
class RequirementApprovedV2ToV3 implements EventUpcasterHandler {
  upcast(data: EventData, event: Readonly<StoredDomainEvent>): EventData {
    return { ...data, approvalTimestamp: event.occurredAt.toISOString() };
  }
}

@EventSchema({ eventType: 'RequirementApproved', version: 3 })
class RequirementApprovedV3 {
  @IsString() approvedBy!: string;
  @IsIn(['REVIEWER', 'OWNER']) approverRole!: string;
  @IsISO8601() approvalTimestamp!: string;
}

const OCCURRED_AT = '2026-01-01T10:00:00.000Z';
const V3_DATA = { approvedBy: 'alice', approverRole: 'REVIEWER', approvalTimestamp: OCCURRED_AT };

const approved = (aggregateId: string, data: EventData, eventVersion?: number): NewDomainEvent => ({
  aggregateType: 'Requirement',
  aggregateId,
  eventType: 'RequirementApproved',
  eventVersion,
  occurredAt: OCCURRED_AT,
  data,
});

// Gap-safe reads (queryEvents, streamEvents) stop before the oldest transaction
// still running anywhere in the cluster, and other test files share the server:
// wait until our committed event is below that horizon instead of failing.
async function eventually<T>(read: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function findStreamed(store: EventStoreService, eventId: string, raw = false): Promise<StoredDomainEvent | undefined> {
  for await (const event of store.streamEvents({ tenantId: 'acme', raw })) if (event.eventId === eventId) return event;
  return undefined;
}

describeEachBackend('upcasting and payload schemas', (mode) => {
  let testDatabase: TestDatabase;
  let app: INestApplicationContext;
  let store: EventStoreService;
  let migrations: EventMigrationHandler;
  let database: EventStoreDatabase;

  beforeAll(async () => {
    testDatabase = await createTestDatabase(mode);
    const moduleRef = await Test.createTestingModule({
      imports: [
        EventStoreModule.forRoot({ databaseUrl: testDatabase.databaseUrl, dataDir: testDatabase.dataDir }),
        EventStoreModule.forFeature({
          upcasters: [RequirementApprovedV1ToV2, RequirementApprovedV2ToV3],
          schemas: [RequirementApprovedV3],
        }),
      ],
    }).compile();
    app = await moduleRef.init();
    store = app.get(EventStoreService);
    migrations = app.get(EventMigrationHandler);
    database = app.get(EventStoreDatabase);
  });
  afterAll(async () => {
    await app?.close();
    await testDatabase?.drop();
  });

  const storedRow = (eventId: string) =>
    database.runInTenant('acme', (q) =>
      q.query('SELECT event_version, data FROM stored_domain_events WHERE tenant_id = $1 AND event_id = $2', ['acme', eventId]),
    );

  it('discovers the @EventUpcaster providers and @EventSchema classes of forFeature', () => {
    expect(migrations.listEventTypes()).toEqual([
      {
        eventType: 'RequirementApproved',
        latestVersion: 3,
        migrations: [
          { from: 1, to: 2 },
          { from: 2, to: 3 },
        ],
        hasSchema: true,
        schemaVersions: [3],
      },
    ]);
  });

  it('reads a stored v1 event as v3 through every read path, and raw reads return the stored form', async () => {
    const [written] = await store.appendEvents([approved('req-up', { approvedBy: 'alice' })], 'acme');
    expect(written).toMatchObject({ eventVersion: 1, data: { approvedBy: 'alice' } });

    const [byStream] = await store.getEventsForAggregate('req-up', 'acme');
    const byQuery = await eventually(async () => (await store.queryEvents('acme', { aggregateId: 'req-up' })).items[0]);
    const byId = await store.getEventById('acme', written.eventId);
    const streamed = await eventually(() => findStreamed(store, written.eventId));
    for (const event of [byStream, byQuery, byId, streamed]) {
      expect(event).toMatchObject({ eventId: written.eventId, eventVersion: 3, data: V3_DATA });
    }

    const raw = await store.getEventsForAggregate('req-up', 'acme', { raw: true });
    expect(raw[0]).toMatchObject({ eventVersion: 1, data: { approvedBy: 'alice' } });
    const rawStreamed = await eventually(() => findStreamed(store, written.eventId, true));
    expect(rawStreamed).toMatchObject({ eventVersion: 1, data: { approvedBy: 'alice' } });
    expect(await storedRow(written.eventId)).toEqual([{ event_version: 1, data: { approvedBy: 'alice' } }]);
  });

  it('replays deterministically: two reads are deep-equal and the timestamp is the event time, not the read time', async () => {
    const [written] = await store.appendEvents([approved('req-replay', { approvedBy: 'bob' })], 'acme');
    const first = await store.getEventsForAggregate('req-replay', 'acme');
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await store.getEventsForAggregate('req-replay', 'acme');
    expect(second).toEqual(first);
    expect(second[0].data.approvalTimestamp).toBe(written.occurredAt.toISOString());
  });

  it('rejects an append that violates the registered schema with field errors and writes nothing', async () => {
    const batch = [approved('req-bad', V3_DATA, 3), approved('req-bad', { approvedBy: 7, approverRole: 'BOSS', extra: 1 }, 3)];
    const error = await store.appendEvents(batch, 'acme').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EventValidationError);
    expect((error as EventValidationError).violations.map((v) => v.field).sort()).toEqual([
      'events[1].data.approvalTimestamp',
      'events[1].data.approvedBy',
      'events[1].data.approverRole',
      'events[1].data.extra',
    ]);
    expect(await store.getEventsForAggregate('req-bad', 'acme')).toEqual([]);
    const stored = await store.appendEvents([batch[0]], 'acme');
    expect(stored[0]).toMatchObject({ eventVersion: 3, data: V3_DATA });
  });

  it('accepts a migration registered by hand after start when it keeps the chain whole', async () => {
    migrations.registerMigration('RequirementRejected', 'v1', 'v2', (data, event) => ({
      ...data,
      rejectedAt: event.occurredAt.toISOString(),
    }));
    await store.appendEvent(
      { aggregateType: 'Requirement', aggregateId: 'req-rej', eventType: 'RequirementRejected', occurredAt: OCCURRED_AT, data: {} },
      'acme',
    );
    const read = await eventually(async () => (await store.getEventsByType('acme', 'RequirementRejected'))[0]);
    expect(read).toMatchObject({ eventVersion: 2, data: { rejectedAt: OCCURRED_AT } });
  });
});
