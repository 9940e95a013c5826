import { EventValidationError } from '../errors/event-validation.error';
import { describeEachBackend } from '../testing/describe-each-backend';
import { TestStore, openTestStore } from '../testing/test-store';
import { waitForHorizon } from '../testing/wait-for-horizon';
import { EventPageRequest, EventQueryFilter } from '../types/read-options';
import { NewDomainEvent, StoredDomainEvent } from '../types/stored-domain-event';

const event = (
  aggregateId: string,
  eventType: string,
  data: Record<string, unknown>,
  extra: Partial<NewDomainEvent> = {},
): NewDomainEvent => ({
  aggregateType: 'Requirement',
  aggregateId,
  eventType,
  data,
  ...extra,
});

describeEachBackend('queryEvents', (mode) => {
  let t: TestStore;
  let seeded: StoredDomainEvent[];
  beforeAll(async () => {
    t = await openTestStore(mode);
    seeded = await t.store.appendEvents(
      [
        event(
          'r-1',
          'RequirementCreated',
          { title: 'Brakes must work' },
          { occurredAt: '2026-01-01T10:00:00Z', metadata: { userId: 'alice', correlationId: 'c-1' } },
        ),
        event(
          'r-1',
          'RequirementApproved',
          { by: 'bob' },
          { occurredAt: '2026-01-02T10:00:00Z', metadata: { userId: 'bob', correlationId: 'c-1' } },
        ),
        event(
          'r-2',
          'RequirementCreated',
          { title: 'Lights 100% on' },
          { occurredAt: '2026-01-03T10:00:00Z', metadata: { userId: 'alice' } },
        ),
        event('b-1', 'BugFiled', { title: 'brakes squeak' }, { aggregateType: 'Bug', occurredAt: '2026-01-04T10:00:00Z' }),
        ...Array.from({ length: 8 }, (_, i) => event('r-3', 'RequirementEdited', { i }, { occurredAt: '2026-01-05T10:00:00Z' })),
      ],
      'acme',
    );
    await t.store.appendEvent(event('r-1', 'RequirementCreated', { title: 'Brakes elsewhere' }), 'globex');
    await waitForHorizon(t.database);
  });
  afterAll(() => t?.close());

  async function all(filter: EventQueryFilter, page: EventPageRequest = {}): Promise<StoredDomainEvent[]> {
    const items: StoredDomainEvent[] = [];
    let cursor: string | null = null;
    do {
      const result = await t.store.queryEvents('acme', filter, { ...page, cursor });
      items.push(...result.items);
      expect(result.hasMore).toBe(result.nextCursor !== null);
      cursor = result.nextCursor;
    } while (cursor);
    return items;
  }

  it('pages through the tenant in order, each event once, ascending and descending', async () => {
    const asc = await all({}, { limit: 5 });
    expect(asc.map((e) => e.eventId)).toEqual(seeded.map((e) => e.eventId));
    const desc = await all({}, { limit: 5, order: 'desc' });
    expect(desc.map((e) => e.eventId)).toEqual(seeded.map((e) => e.eventId).reverse());
  });

  it('filters by type, aggregate, dates, keyword, correlation and user', async () => {
    const ids = async (filter: EventQueryFilter) => (await all(filter, { limit: 3 })).map((e) => e.aggregateId + ':' + e.eventType);
    expect(await ids({ eventTypes: ['RequirementCreated', 'BugFiled'] })).toEqual([
      'r-1:RequirementCreated',
      'r-2:RequirementCreated',
      'b-1:BugFiled',
    ]);
    expect(await ids({ aggregateType: 'Bug' })).toEqual(['b-1:BugFiled']);
    expect(await ids({ aggregateId: 'r-1' })).toEqual(['r-1:RequirementCreated', 'r-1:RequirementApproved']);
    expect(await ids({ from: new Date('2026-01-02T10:00:00Z'), to: new Date('2026-01-04T10:00:00Z') })).toEqual([
      'r-1:RequirementApproved',
      'r-2:RequirementCreated',
    ]);
    expect(await ids({ keyword: 'BRAKES' })).toEqual(['r-1:RequirementCreated', 'b-1:BugFiled']);
    // LIKE wildcards in the keyword are matched literally.
    expect(await ids({ keyword: '100%' })).toEqual(['r-2:RequirementCreated']);
    expect(await ids({ keyword: '%' })).toEqual(['r-2:RequirementCreated']);
    // Values only: a key name matches nothing; numbers are values too.
    expect(await ids({ keyword: 'title' })).toEqual([]);
    expect(await ids({ keyword: 'bob' })).toEqual(['r-1:RequirementApproved']);
    expect(await ids({ keyword: '7' })).toEqual(['r-3:RequirementEdited']);
    expect(await ids({ correlationId: 'c-1' })).toEqual(['r-1:RequirementCreated', 'r-1:RequirementApproved']);
    expect(await ids({ userId: 'bob' })).toEqual(['r-1:RequirementApproved']);
  });

  it('finds keywords that JSON text shows escaped, and values nested in arrays', async () => {
    await t.store.appendEvents(
      [
        event('q-1', 'Quoted', { said: 'she said "ship it"', path: 'C:\\temp' }),
        event('q-2', 'Nested', { items: [{ name: 'Ünïcode Ärger' }] }),
      ],
      'initech',
    );
    await waitForHorizon(t.database);
    const ids = async (keyword: string) => (await t.store.queryEvents('initech', { keyword })).items.map((e) => e.aggregateId);
    expect(await ids('"ship it"')).toEqual(['q-1']);
    expect(await ids('C:\\temp')).toEqual(['q-1']);
    expect(await ids('ärger')).toEqual(['q-2']);
    expect(await ids('items')).toEqual([]);
  });

  it('adds the total when asked, for the whole filter', async () => {
    const page = await t.store.queryEvents('acme', { eventTypes: ['RequirementEdited'] }, { limit: 3, includeTotal: true });
    expect(page.items).toHaveLength(3);
    expect(page.total).toBe(8);
    expect(page.hasMore).toBe(true);
    expect('total' in (await t.store.queryEvents('acme', {}, { limit: 1 }))).toBe(false);
  });

  it('rejects an invalid cursor, or one issued for the other order', async () => {
    await expect(t.store.queryEvents('acme', {}, { cursor: 'not-a-cursor' })).rejects.toMatchObject({ violations: [{ field: 'cursor' }] });
    const forged = Buffer.from(JSON.stringify({ t: '1; DROP TABLE x', p: '1', o: 'asc' })).toString('base64url');
    await expect(t.store.queryEvents('acme', {}, { cursor: forged })).rejects.toBeInstanceOf(EventValidationError);
    const { nextCursor } = await t.store.queryEvents('acme', {}, { limit: 1 });
    await expect(t.store.queryEvents('acme', {}, { cursor: nextCursor, order: 'desc' })).rejects.toMatchObject({
      violations: [{ field: 'cursor' }],
    });
  });

  it('rejects bad filters and pages naming the field', async () => {
    const fieldOf = async (filter: unknown, page: unknown = {}) => {
      const error = await t.store.queryEvents('acme', filter as EventQueryFilter, page as EventPageRequest).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EventValidationError);
      return (error as EventValidationError).violations.map((v) => v.field);
    };
    expect(await fieldOf({}, { limit: 0 })).toEqual(['limit']);
    expect(await fieldOf({}, { limit: 1001 })).toEqual(['limit']);
    expect(await fieldOf({}, { limit: 2.5 })).toEqual(['limit']);
    expect(await fieldOf({}, { order: 'sideways' })).toEqual(['order']);
    expect(await fieldOf({ tenantId: 'globex' })).toEqual(['filter']);
    expect(await fieldOf({}, { offset: 3 })).toEqual(['page']);
    expect(await fieldOf({ eventTypes: ['ok', 'not ok'] })).toEqual(['eventTypes[1]']);
    expect(await fieldOf({ eventTypes: 'RequirementCreated' })).toEqual(['eventTypes']);
    expect(await fieldOf({ from: 'yesterday' })).toEqual(['from']);
    expect(await fieldOf({ to: new Date('nope') })).toEqual(['to']);
    expect(await fieldOf({ keyword: '' })).toEqual(['keyword']);
    await expect(t.store.queryEvents('bad tenant!', {})).rejects.toMatchObject({ violations: [{ field: 'tenantId' }] });
  });
});

// Readers racing writers need real concurrency: server only.
describeEachBackend(
  'queryEvents while writers append',
  (mode) => {
    let t: TestStore;
    beforeAll(async () => {
      t = await openTestStore(mode, { poolSize: 12 });
      for (let w = 0; w < 4; w++)
        await t.store.appendEvents(
          Array.from({ length: 10 }, (_, n) => event(`seed-${w}`, 'Seeded', { n })),
          'busy',
        );
      await waitForHorizon(t.database);
    });
    afterAll(() => t?.close());

    for (const order of ['asc', 'desc'] as const) {
      it(`pages ${order} with each event once and every event committed before paging started`, async () => {
        const before = new Set((await t.store.queryEvents('busy', {}, { limit: 1000 })).items.map((e) => e.eventId));
        expect(before.size).toBeGreaterThanOrEqual(40);
        let writing = true;
        const writers = Promise.all(
          Array.from({ length: 8 }, async (_, w) => {
            for (let n = 0; n < 50 && writing; n++) await t.store.appendEvent(event(`w-${order}-${w}`, 'Written', { n }), 'busy');
          }),
        );
        const ids: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const page = await t.store.queryEvents('busy', {}, { limit: 7, cursor, order });
          ids.push(...page.items.map((e) => e.eventId));
          cursor = page.nextCursor;
          pages++;
        } while (cursor && pages < 500);
        writing = false;
        await writers;
        expect(new Set(ids).size).toBe(ids.length);
        for (const id of before) expect(ids).toContain(id);
      });
    }
  },
  ['server'],
);
