import { INestApplicationContext } from '@nestjs/common';
import { EventStoreDatabase } from '../database/event-store-database';
import { ProjectionManager } from '../projections/projection-manager';
import { EventStoreService } from '../store/event-store.service';
import { SubscriptionManager } from '../subscriptions/subscription-manager';
import { eventually, openDeliveryApp } from '../subscriptions/testing-fixtures/delivery-app';
import { describeEachBackend } from '../testing/describe-each-backend';
import { TestDatabase, createTestDatabase } from '../testing/test-database';
import { EventsRedacted } from '../types/redaction';
import { StoredDomainEvent } from '../types/stored-domain-event';
import { CreateTestNotes1764100000501, NOTES_TENANT, NotesProjection } from './testing-fixtures/notes.projection';

const DPO = { reason: 'art. 17', requestedBy: 'dpo' };
const created = (aggregateId: string, title: string, subjectId?: string) => ({
  aggregateType: 'Requirement',
  aggregateId,
  eventType: 'RequirementCreated',
  data: { title },
  metadata: subjectId ? { subjectId } : {},
});

/** What a handler saw, in order: applied events and redactions. */
type Seen = { kind: 'event'; aggregateId: string; isRedacted: boolean } | { kind: 'redacted'; redaction: EventsRedacted };

describeEachBackend('redactions delivered to read models', (mode) => {
  let db: TestDatabase;
  let app: INestApplicationContext;
  let manager: SubscriptionManager;
  let store: EventStoreService;
  beforeAll(async () => {
    db = await createTestDatabase(mode);
    app = await openDeliveryApp(db, [NotesProjection], { schemaMigrations: [CreateTestNotes1764100000501] });
    manager = app.get(SubscriptionManager);
    store = app.get(EventStoreService);
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('lets a projection remove derived personal data: exactly once per redaction, and a rebuild ends in the same state', async () => {
    const note = (aggregateId: string, text: string, subjectId?: string) => ({
      aggregateType: 'Person',
      aggregateId,
      eventType: 'NoteTaken',
      data: { note: text },
      metadata: subjectId ? { subjectId } : {},
    });
    const notes = async () =>
      (await app.get(EventStoreDatabase).query(`SELECT note FROM test_notes ORDER BY note`, [], 'test')).map((r) => r.note);
    const handled = async () =>
      (await app.get(EventStoreDatabase).query(`SELECT events FROM test_notes_redactions ORDER BY events`, [], 'test')).map(
        (r) => r.events,
      );
    const projections = app.get(ProjectionManager);
    const [, single] = await store.appendEvents(
      [note('p-1', 'Ann lives at Elm St', 'ann'), note('p-2', 'Bob called'), note('p-1', 'Ann is allergic', 'ann')],
      NOTES_TENANT,
    );
    await projections.waitUntilCaughtUp('test-notes');
    expect(await notes()).toEqual(['Ann is allergic', 'Ann lives at Elm St', 'Bob called']);

    await store.eraseSubject('ann', NOTES_TENANT, DPO);
    await store.redactEvent(single.eventId, NOTES_TENANT, DPO);
    await projections.waitUntilCaughtUp('test-notes');
    expect(await notes()).toEqual([]);
    expect(await handled()).toEqual([1, 2]);

    await projections.rebuild('test-notes');
    expect(await notes()).toEqual([]);
    expect(await handled()).toEqual([1, 2]);
  });

  it('tells a filtered subscriber with onRedacted, in the global order after the events it names', async () => {
    const seen: Seen[] = [];
    const record = (e: StoredDomainEvent) => void seen.push({ kind: 'event', aggregateId: e.aggregateId, isRedacted: e.isRedacted });
    const sub = await manager.subscribe(
      { name: 'titles', tenantId: 'acme', eventTypes: ['RequirementCreated'] },
      record,
      (redaction) => void seen.push({ kind: 'redacted', redaction }),
    );
    const [first] = await store.appendEvents([created('r-1', 'Call Jane Roe', 'jane'), created('r-2', 'Export CSV')], 'acme');
    await manager.waitUntilCaughtUp('titles');
    await store.eraseSubject('jane', 'acme', DPO);
    await store.appendEvent(created('r-3', 'Later'), 'acme');
    await manager.waitUntilCaughtUp('titles');

    expect(seen.map((s) => (s.kind === 'event' ? s.aggregateId : 'redacted'))).toEqual(['r-1', 'r-2', 'redacted', 'r-3']);
    const { redaction } = seen[2] as Extract<Seen, { kind: 'redacted' }>;
    expect(redaction).toMatchObject({
      tenantId: 'acme',
      events: [{ eventId: first.eventId, aggregateId: 'r-1', eventType: 'RequirementCreated', aggregateVersion: 1 }],
    });
    expect(redaction.redactedAt).toBeInstanceOf(Date);
    await sub.stop();
  });

  it('never hands the store’s marker events to handle() of a subscriber without onRedacted', async () => {
    const handled: StoredDomainEvent[] = [];
    const sub = await manager.subscribe({ name: 'everything', tenantId: 'globex' }, (e) => void handled.push(e));
    const [event] = await store.appendEvents([created('g-1', 'Mail John Doe', 'john')], 'globex');
    await store.redactEvent(event.eventId, 'globex', DPO);
    await store.appendEvent(created('g-2', 'After'), 'globex');
    await manager.waitUntilCaughtUp('everything');
    expect(handled.map((e) => e.aggregateId)).toEqual(['g-1', 'g-2']);
    await sub.stop();
  });

  it('replays redactions to a subscriber starting from the beginning: redacted events arrive redacted, then the redaction', async () => {
    const seen: Seen[] = [];
    const sub = await manager.subscribe(
      { name: 'late-reader', tenantId: 'acme', eventTypes: ['RequirementCreated'] },
      (e) => void seen.push({ kind: 'event', aggregateId: e.aggregateId, isRedacted: e.isRedacted }),
      (redaction) => void seen.push({ kind: 'redacted', redaction }),
    );
    await manager.waitUntilCaughtUp('late-reader');
    await eventually(() => seen.length === 4);
    expect(seen.map((s) => (s.kind === 'event' ? `${s.aggregateId}:${s.isRedacted}` : 'redacted'))).toEqual([
      'r-1:true',
      'r-2:false',
      'redacted',
      'r-3:false',
    ]);
    await sub.stop();
  });
});
