import { randomUUID } from 'node:crypto';
import { INestApplicationContext, Injectable } from '@nestjs/common';
import { ConcurrencyError } from '../errors/concurrency.error';
import { EventStoreService } from '../store/event-store.service';
import { DomainEventSubscriber } from '../subscriptions/domain-event-subscriber';
import { EventStoreSubscriber } from '../subscriptions/event-subscriber.decorator';
import { SubscriptionManager } from '../subscriptions/subscription-manager';
import { openDeliveryApp } from '../subscriptions/testing-fixtures/delivery-app';
import { describeEachBackend } from '../testing/describe-each-backend';
import { TestDatabase, createTestDatabase } from '../testing/test-database';
import { NewDomainEvent, StoredDomainEvent } from '../types/stored-domain-event';
import { EventStorePublisher } from './event-store.publisher';

const approved = (aggregateId: string, extra: Partial<NewDomainEvent> = {}): NewDomainEvent => ({
  aggregateType: 'Requirement',
  aggregateId,
  eventType: 'RequirementApproved',
  data: { by: 'alice' },
  ...extra,
});

@Injectable()
@EventStoreSubscriber({ name: 'approval-recorder', eventTypes: ['RequirementApproved'] })
class ApprovalRecorder implements DomainEventSubscriber {
  readonly seen: StoredDomainEvent[] = [];
  /** Whether each event was readable from another connection when handled, i.e. committed. */
  readonly committedWhenHandled: boolean[] = [];
  constructor(private readonly store: EventStoreService) {}

  async handle(event: StoredDomainEvent): Promise<void> {
    const found = await this.store.getEventById(event.tenantId, event.eventId).then(
      () => true,
      () => false,
    );
    this.committedWhenHandled.push(found);
    this.seen.push(event);
  }
}

@Injectable()
@EventStoreSubscriber({ name: 'flaky-mailer', eventTypes: ['RequirementApproved'], retry: { maxAttempts: 5, initialDelayMs: 10 } })
class FlakyMailer implements DomainEventSubscriber {
  failuresLeft = new Map<string, number>();
  attempts = new Map<string, number>();
  readonly delivered: string[] = [];

  handle(event: StoredDomainEvent): void {
    this.attempts.set(event.eventId, (this.attempts.get(event.eventId) ?? 0) + 1);
    const left = this.failuresLeft.get(event.eventId) ?? 0;
    if (left > 0) {
      this.failuresLeft.set(event.eventId, left - 1);
      throw new Error('mail server down');
    }
    this.delivered.push(event.eventId);
  }
}

@Injectable()
@EventStoreSubscriber({ name: 'other-types-only', eventTypes: ['RequirementRejected'] })
class RejectionRecorder implements DomainEventSubscriber {
  readonly seen: string[] = [];
  handle(event: StoredDomainEvent): void {
    this.seen.push(event.eventType);
  }
}

describeEachBackend('EventStorePublisher', (mode) => {
  let db: TestDatabase;
  let app: INestApplicationContext;
  let publisher: EventStorePublisher;
  let subscriptions: SubscriptionManager;
  beforeAll(async () => {
    db = await createTestDatabase(mode);
    app = await openDeliveryApp(db, [ApprovalRecorder, FlakyMailer, RejectionRecorder]);
    publisher = app.get(EventStorePublisher);
    subscriptions = app.get(SubscriptionManager);
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  const caughtUp = () =>
    Promise.all(['approval-recorder', 'flaky-mailer', 'other-types-only'].map((n) => subscriptions.waitUntilCaughtUp(n, 20_000)));

  it('delivers a published event to matching subscribers only after it committed', async () => {
    const stored = await publisher.publish(approved('req-1'), 'acme');
    await caughtUp();
    const recorder = app.get(ApprovalRecorder);
    expect(recorder.seen.map((e) => e.eventId)).toEqual([stored.eventId]);
    expect(recorder.committedWhenHandled).toEqual([true]);
    expect(app.get(RejectionRecorder).seen).toEqual([]);
  });

  it('calls nobody when persistence fails, and propagates the error', async () => {
    const recorder = app.get(ApprovalRecorder);
    const before = recorder.seen.length;
    const failedId = randomUUID();
    await expect(publisher.publish(approved('req-2', { eventId: failedId }), 'acme', { expectedVersion: 3 })).rejects.toBeInstanceOf(
      ConcurrencyError,
    );
    const marker = await publisher.publish(approved('req-3'), 'acme');
    await caughtUp();
    expect(recorder.seen.slice(before).map((e) => e.eventId)).toEqual([marker.eventId]);
    expect(app.get(FlakyMailer).attempts.has(failedId)).toBe(false);
  });

  it('publishes a batch atomically and delivers it in order', async () => {
    const stored = await publisher.publishAll([approved('req-4'), approved('req-4'), approved('req-5')], 'acme', {
      expectedVersion: { 'req-4': 'no_stream' },
    });
    await caughtUp();
    const seen = app
      .get(ApprovalRecorder)
      .seen.slice(-3)
      .map((e) => e.eventId);
    expect(seen).toEqual(stored.map((e) => e.eventId));
    await expect(
      publisher.publishAll([approved('req-6'), approved('req-4')], 'acme', { expectedVersion: { 'req-4': 0 } }),
    ).rejects.toBeInstanceOf(ConcurrencyError);
    expect(await publisher.replayEvents('req-6', 'acme')).toEqual([]);
  });

  it('neither fails the publish nor holds up others when a subscriber throws, and retries it until it succeeds', async () => {
    const flaky = app.get(FlakyMailer);
    const eventId = randomUUID();
    flaky.failuresLeft.set(eventId, 2);
    const stored = await publisher.publish(approved('req-7', { eventId }), 'acme');
    expect(stored.eventId).toBe(eventId);
    await caughtUp();
    expect(app.get(ApprovalRecorder).seen.map((e) => e.eventId)).toContain(eventId);
    expect(flaky.attempts.get(eventId)).toBe(3);
    expect(flaky.delivered.filter((id) => id === eventId)).toHaveLength(1);
    expect(await subscriptions.listDeadLetters('flaky-mailer')).toEqual([]);
  });

  it('passes reads through to the store and replays upcast events', async () => {
    publisher.registerMigration('RequirementApproved', 1, 2, (data) => ({ ...data, level: 'standard' }));
    const replayed = await publisher.replayEvents('req-1', 'acme');
    expect(replayed).toHaveLength(1);
    expect(replayed[0]).toMatchObject({ eventVersion: 2, data: { by: 'alice', level: 'standard' } });
    expect((await publisher.getEventsByType('acme', 'RequirementApproved')).length).toBeGreaterThanOrEqual(5);
    expect((await publisher.getEventsByAggregateType('acme', 'Requirement')).length).toBeGreaterThanOrEqual(5);
    expect(await publisher.getEventsSince('acme', { position: replayed[0].globalPosition })).not.toHaveLength(0);
  });
});
