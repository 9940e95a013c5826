import { EventValidationError } from '../errors/event-validation.error';
import { describeEachBackend } from '../testing/describe-each-backend';
import { TestStore, openTestStore } from '../testing/test-store';
import { AppendOptions } from '../types/append-options';
import { NewDomainEvent } from '../types/stored-domain-event';

const valid = (extra: Record<string, unknown> = {}): NewDomainEvent =>
  ({ aggregateType: 'Order', aggregateId: 'o-1', eventType: 'OrderPlaced', data: { n: 1 }, ...extra }) as NewDomainEvent;

describeEachBackend('input validation', (mode) => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore(mode, { maxEventSizeBytes: 1024 });
  });
  afterAll(() => t?.close());

  const COUNT_SQL = 'SELECT count(*)::int AS n FROM stored_domain_events';
  // As the pool's superuser, outside any tenant context: every tenant's rows.
  const storedCount = async (): Promise<number> => (await t.database.dataSource.query(COUNT_SQL))[0].n;

  /** Asserts the append fails validation naming `field`, and that nothing was written. */
  async function rejectsAppend(field: string, events: unknown, tenantId = 'acme', options?: unknown): Promise<void> {
    const before = await storedCount();
    const error = await t.store.appendEvents(events as NewDomainEvent[], tenantId, options as AppendOptions).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EventValidationError);
    expect((error as EventValidationError).violations.map((v) => v.field)).toContain(field);
    expect((error as EventValidationError).code).toBe('VALIDATION_FAILED');
    expect(await storedCount()).toBe(before);
  }

  it('accepts the valid baseline', async () => {
    await t.store.appendEvent(valid(), 'acme');
    expect(await storedCount()).toBe(1);
  });

  it.each([
    ['empty', ''],
    ['with a space', 'ac me'],
    ['leading dash', '-acme'],
    ['too long', 'a'.repeat(65)],
    ['not a string', 42],
    ['SQL', "acme'; DROP TABLE stored_domain_events; --"],
  ])('rejects a tenant id that is %s', async (_, tenantId) => {
    await rejectsAppend('tenantId', [valid()], tenantId as string);
  });

  it('rejects an empty or missing batch', async () => {
    await rejectsAppend('events', []);
    await rejectsAppend('events', undefined);
  });

  it('rejects data that is not a JSON object', async () => {
    await rejectsAppend('events[0].data', [valid({ data: 'text' })]);
    await rejectsAppend('events[0].data', [valid({ data: [1, 2] })]);
    await rejectsAppend('events[0].data', [valid({ data: null })]);
    await rejectsAppend('events[0].data', [valid({ data: new Date() })]);
    await rejectsAppend('events[1].metadata', [valid(), valid({ metadata: ['x'] })]);
  });

  it('rejects NUL characters, which jsonb cannot store, but accepts the escaped text', async () => {
    await rejectsAppend('events[0].data', [valid({ data: { name: 'a\u0000b' } })]);
    await rejectsAppend('events[0].metadata', [valid({ metadata: { userId: '\u0000' } })]);
    const stored = await t.store.appendEvent(valid({ aggregateId: 'o-nul', data: { text: '\\u0000' } }), 'acme');
    expect(stored.data).toEqual({ text: '\\u0000' });
  });

  it('rejects an event over maxEventSizeBytes', async () => {
    await rejectsAppend('events[0]', [valid({ data: { blob: 'x'.repeat(2000) } })]);
    await rejectsAppend('events[0]', [valid({ metadata: { note: 'é'.repeat(600) } })]);
  });

  it('rejects a bad eventId and an id twice in one batch', async () => {
    await rejectsAppend('events[0].eventId', [valid({ eventId: 'not-a-uuid' })]);
    await rejectsAppend('events[0].eventId', [valid({ eventId: 42 })]);
    const id = '1b4e28ba-2fa1-41d2-883f-0016d3cca427';
    await rejectsAppend('events[1].eventId', [valid({ eventId: id }), valid({ eventId: id.toUpperCase() })]);
  });

  it.each([[-1], [1.5], ['latest'], [null], [2 ** 31], [{ 'o-1': 'soon' }]])('rejects expectedVersion %p', async (expectedVersion) => {
    const field =
      typeof expectedVersion === 'object' && expectedVersion !== null ? 'options.expectedVersion.o-1' : 'options.expectedVersion';
    await rejectsAppend(field, [valid()], 'acme', { expectedVersion });
  });

  it('rejects unknown option and event keys', async () => {
    await rejectsAppend('options', [valid()], 'acme', { expectedVersion: 0, tenantId: 'globex' });
    await rejectsAppend('events[0]', [valid({ tenantId: 'globex' })]);
    await rejectsAppend('events[0]', ['not an event']);
  });

  it('rejects bad type names, aggregate ids and event versions', async () => {
    await rejectsAppend('events[0].eventType', [valid({ eventType: '' })]);
    await rejectsAppend('events[0].eventType', [valid({ eventType: '1stEvent' })]);
    await rejectsAppend('events[0].eventType', [valid({ eventType: 'Order Placed' })]);
    await rejectsAppend('events[0].eventType', [valid({ eventType: 'E'.repeat(129) })]);
    await rejectsAppend('events[0].aggregateType', [valid({ aggregateType: undefined })]);
    await rejectsAppend('events[0].aggregateId', [valid({ aggregateId: '' })]);
    await rejectsAppend('events[0].aggregateId', [valid({ aggregateId: 'a\nb' })]);
    await rejectsAppend('events[0].aggregateId', [valid({ aggregateId: 'x'.repeat(201) })]);
    await rejectsAppend('events[0].eventVersion', [valid({ eventVersion: 0 })]);
    await rejectsAppend('events[0].eventVersion', [valid({ eventVersion: '2' })]);
  });

  it('rejects a bad occurredAt', async () => {
    await rejectsAppend('events[0].occurredAt', [valid({ occurredAt: 'yesterday' })]);
    await rejectsAppend('events[0].occurredAt', [valid({ occurredAt: new Date('nope') })]);
    await rejectsAppend('events[0].occurredAt', [valid({ occurredAt: 1700000000000 })]);
  });

  it('reports every bad field of a batch at once', async () => {
    const error = (await t.store
      .appendEvents([valid({ eventType: '' }), valid({ data: [] })], 'acme')
      .catch((e: unknown) => e)) as EventValidationError;
    expect(error.violations.map((v) => v.field)).toEqual(['events[0].eventType', 'events[1].data']);
  });

  it('rejects bad read arguments: limits, filters, ids, versions, positions', async () => {
    const fieldOf = async (attempt: Promise<unknown>) =>
      ((await attempt.catch((e: unknown) => e)) as EventValidationError).violations?.map((v) => v.field);
    expect(await fieldOf(t.store.queryEvents('acme', {}, { limit: 0 }))).toEqual(['limit']);
    expect(await fieldOf(t.store.queryEvents('acme', { tenant: 'x' } as never))).toEqual(['filter']);
    expect(await fieldOf(t.store.getEventsSince('acme', { position: -1 }))).toEqual(['since.position']);
    expect(await fieldOf(t.store.getEventsSince('acme', new Date('nope')))).toEqual(['since']);
    expect(await fieldOf(t.store.getEventsSince('acme', { position: 0 }, { limit: 0 }))).toEqual(['limit']);
    expect(await fieldOf(t.store.getEventsByType('acme', 'not a type'))).toEqual(['eventType']);
    expect(await fieldOf(t.store.getEventsByAggregateType('acme', ''))).toEqual(['aggregateType']);
    expect(await fieldOf(t.store.getEventById('acme', 'nope'))).toEqual(['eventId']);
    expect(await fieldOf(t.store.getEventsForAggregate('o-1', 'acme', { fromVersion: 3, toVersion: 2 }))).toEqual(['toVersion']);
    expect(await fieldOf(t.store.getEventsForAggregate('', 'acme'))).toEqual(['aggregateId']);
    expect(await fieldOf(t.store.getStatistics('no tenant'))).toEqual(['tenantId']);
  });
});
