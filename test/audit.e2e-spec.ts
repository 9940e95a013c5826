import { randomUUID } from 'node:crypto';
import { describeEachBackend } from '@nest-event-store/core/testing';
import { EventJson, appendVia, getAs, newAggregateId, postAs, readAllPages } from './helpers/events';
import { TestApp, openTestApp } from './helpers/test-app';

const EVENT_KEYS = [
  'aggregateId',
  'aggregateType',
  'aggregateVersion',
  'data',
  'eventId',
  'eventType',
  'eventVersion',
  'globalPosition',
  'isRedacted',
  'metadata',
  'occurredAt',
  'redactedAt',
  'storedAt',
  'tenantId',
];

describeEachBackend('appends and audit queries', (mode) => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await openTestApp(mode, { bodyLimitBytes: 64 * 1024 });
    token = t.token('audit-co', ['auditor', 'writer'], 'alice');
  });
  afterAll(() => t?.close());

  describe('POST /api/aggregates/:aggregateId/events', () => {
    it('answers 201 with the stored events in the API JSON shape', async () => {
      const id = newAggregateId('req');
      const res = await postAs(t, token, `/api/aggregates/${id}/events`, {
        aggregateType: 'Requirement',
        expectedVersion: 'no_stream',
        events: [
          { eventType: 'RequirementCreated', data: { title: 'Encrypt backups' }, occurredAt: '2026-01-01T10:00:00.000Z' },
          { eventType: 'RequirementApproved', eventVersion: 2, data: { by: 'bob' }, metadata: { source: 'e2e' } },
        ],
      }).set('x-correlation-id', 'corr-append-1');
      expect(res.status).toBe(201);
      const [created, approved] = res.body.events;
      expect(Object.keys(created).sort()).toEqual(EVENT_KEYS);
      expect(created).toMatchObject({
        tenantId: 'audit-co',
        aggregateType: 'Requirement',
        aggregateId: id,
        aggregateVersion: 1,
        eventType: 'RequirementCreated',
        eventVersion: 1,
        occurredAt: '2026-01-01T10:00:00.000Z',
        data: { title: 'Encrypt backups' },
        metadata: { userId: 'alice', correlationId: 'corr-append-1' },
        isRedacted: false,
        redactedAt: null,
      });
      expect(created.globalPosition).toMatch(/^\d+$/);
      expect(created.storedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(approved).toMatchObject({
        aggregateVersion: 2,
        eventVersion: 2,
        metadata: { source: 'e2e', userId: 'alice', correlationId: 'corr-append-1' },
      });
      expect(BigInt(approved.globalPosition)).toBeGreaterThan(BigInt(created.globalPosition));
    });

    it('answers 409 ConcurrencyError naming both versions for a stale expectedVersion, and writes nothing', async () => {
      const id = newAggregateId();
      await appendVia(t, token, id, [{}, {}]);
      const res = await postAs(t, token, `/api/aggregates/${id}/events`, {
        aggregateType: 'Requirement',
        expectedVersion: 1,
        events: [{ eventType: 'RequirementUpdated', data: {} }],
      });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({
        statusCode: 409,
        error: 'ConcurrencyError',
        message: expect.any(String),
        expectedVersion: 1,
        actualVersion: 2,
      });
      for (const [expectedVersion, actualVersion] of [['no_stream', 2]] as const) {
        const r = await postAs(t, token, `/api/aggregates/${id}/events`, {
          aggregateType: 'Requirement',
          expectedVersion,
          events: [{ eventType: 'RequirementUpdated', data: {} }],
        });
        expect(r.body).toMatchObject({ statusCode: 409, expectedVersion, actualVersion });
      }
      const missing = await postAs(t, token, `/api/aggregates/${newAggregateId()}/events`, {
        aggregateType: 'Requirement',
        expectedVersion: 'stream_exists',
        events: [{ eventType: 'RequirementUpdated', data: {} }],
      });
      expect(missing.body).toMatchObject({ statusCode: 409, expectedVersion: 'stream_exists', actualVersion: 0 });
      expect((await getAs(t, token, `/api/aggregates/${id}/events`)).body.version).toBe(2);
      const ok = await postAs(t, token, `/api/aggregates/${id}/events`, {
        aggregateType: 'Requirement',
        expectedVersion: 2,
        events: [{ eventType: 'RequirementUpdated', data: {} }],
      });
      expect(ok.status).toBe(201);
    });

    it('is idempotent on eventId with the same content, and answers 409 for the same id with other content', async () => {
      const id = newAggregateId();
      const eventId = randomUUID();
      const first = await appendVia(t, token, id, [{ eventId, data: { n: 1 } }]);
      const again = await appendVia(t, token, id, [{ eventId, data: { n: 1 } }]);
      expect(again).toEqual(first);
      expect((await getAs(t, token, `/api/aggregates/${id}/events`)).body.items).toHaveLength(1);
      const other = await postAs(t, token, `/api/aggregates/${id}/events`, {
        aggregateType: 'Requirement',
        events: [{ eventId, eventType: 'RequirementCreated', data: { n: 2 } }],
      });
      expect(other.status).toBe(409);
      expect(other.body).toMatchObject({ statusCode: 409, error: 'DuplicateEventError' });
    });

    it('answers 409 for the same eventId and data with other metadata (a new subjectId), and keeps what was stored', async () => {
      const id = newAggregateId();
      const eventId = randomUUID();
      const body = (metadata: object) => ({
        aggregateType: 'Requirement',
        events: [{ eventId, eventType: 'RequirementCreated', data: { n: 1 }, metadata }],
      });
      expect((await postAs(t, token, `/api/aggregates/${id}/events`, body({ source: 'import' }))).status).toBe(201);
      // A retry of the same request gets a new correlation id (none sent): still the same event.
      expect((await postAs(t, token, `/api/aggregates/${id}/events`, body({ source: 'import' }))).status).toBe(201);
      const withSubject = await postAs(t, token, `/api/aggregates/${id}/events`, body({ source: 'import', subjectId: 'customer-42' }));
      expect(withSubject.status).toBe(409);
      expect(withSubject.body).toMatchObject({ statusCode: 409, error: 'DuplicateEventError' });
      const [stored] = (await getAs(t, token, `/api/aggregates/${id}/events`)).body.items;
      expect(stored.metadata).not.toHaveProperty('subjectId');
    });

    it('answers 400 naming the field for invalid bodies', async () => {
      const cases: [object, string][] = [
        [{ events: [{ eventType: 'X', data: {} }] }, 'aggregateType'],
        [{ aggregateType: 'Requirement', events: [] }, 'events'],
        [{ aggregateType: 'Requirement', events: [{ data: {} }] }, 'events[0].eventType'],
        [{ aggregateType: 'Requirement', events: [{ eventType: 'X', data: 'text' }] }, 'events[0].data'],
        [{ aggregateType: 'Requirement', events: [{ eventType: 'X', data: {}, eventId: 'nope' }] }, 'events[0].eventId'],
        [{ aggregateType: 'Requirement', events: [{ eventType: 'X', data: {}, occurredAt: 'yesterday' }] }, 'events[0].occurredAt'],
        [{ aggregateType: 'Requirement', events: [{ eventType: 'X', data: {}, eventVersion: 0 }] }, 'events[0].eventVersion'],
        [{ aggregateType: 'Requirement', expectedVersion: 'latest', events: [{ eventType: 'X', data: {} }] }, 'expectedVersion'],
        [{ aggregateType: 'Requirement', expectedVersion: -1, events: [{ eventType: 'X', data: {} }] }, 'expectedVersion'],
        [{ aggregateType: 'Requirement', events: [{ eventType: 'X', data: {}, color: 'red' }] }, 'events[0].color'],
        [{ aggregateType: 'Requirement', tenantId: 'other-co', events: [{ eventType: 'X', data: {} }] }, 'tenantId'],
        // Rules the library enforces (type name format) come back the same way.
        [{ aggregateType: '9 bad type', events: [{ eventType: 'X', data: {} }] }, 'aggregateType'],
      ];
      for (const [body, field] of cases) {
        const res = await postAs(t, token, `/api/aggregates/${newAggregateId()}/events`, body);
        expect({ field, status: res.status }).toEqual({ field, status: 400 });
        expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
        expect(res.body.message).toEqual(
          expect.arrayContaining([expect.stringMatching(new RegExp(`^${field.replace(/[[\]]/g, '\\$&')}: `))]),
        );
      }
    });

    it('answers 400 naming aggregateId for an id the store cannot take', async () => {
      const res = await postAs(t, token, `/api/aggregates/${'x'.repeat(201)}/events`, {
        aggregateType: 'Requirement',
        events: [
          { eventType: 'RequirementUpdated', data: {} },
          { eventType: 'RequirementUpdated', data: {} },
        ],
      });
      expect(res.status).toBe(400);
      expect(res.body.message).toEqual([expect.stringMatching(/^aggregateId: /)]);
    });

    it('answers 400 for malformed JSON and 413 over the body limit, in the error shape', async () => {
      const malformed = await t
        .http()
        .post(`/api/aggregates/${newAggregateId()}/events`)
        .set('Authorization', `Bearer ${token}`)
        .set('Content-Type', 'application/json')
        .send('{"aggregateType": "Requirement", "events": [');
      expect(malformed.status).toBe(400);
      expect(malformed.body).toEqual({ statusCode: 400, error: 'Bad Request', message: expect.any(String) });
      const big = { aggregateType: 'Requirement', events: [{ eventType: 'X', data: { blob: 'x'.repeat(65 * 1024) } }] };
      const tooLarge = await postAs(t, token, `/api/aggregates/${newAggregateId()}/events`, big).set('x-correlation-id', 'big-1');
      expect(tooLarge.status).toBe(413);
      expect(tooLarge.body).toEqual({ statusCode: 413, error: 'Payload Too Large', message: expect.stringContaining('65536') });
      expect(tooLarge.headers['x-correlation-id']).toBe('big-1');
    });

    it('counts appends in the metrics', async () => {
      const before = Number(/event_store_appended_events_total (\d+)/.exec((await t.http().get('/api/metrics')).text)?.[1]);
      await appendVia(t, token, newAggregateId(), [{}, {}, {}]);
      const after = (await t.http().get('/api/metrics')).text;
      expect(Number(/event_store_appended_events_total (\d+)/.exec(after)?.[1])).toBe(before + 3);
      expect(after).toMatch(/event_store_append_duration_seconds_count\{outcome="ok"\} [1-9]/);
      expect(after).toMatch(/http_requests_total\{method="POST",route="\/api\/aggregates\/:aggregateId\/events",status="201"\} [1-9]/);
    });
  });

  describe('GET /api/aggregates/:aggregateId/events', () => {
    it('returns the stream in order with its type and version, and a version range', async () => {
      const id = newAggregateId();
      const stored = await appendVia(t, token, id, [{ data: { n: 1 } }, { data: { n: 2 } }, { data: { n: 3 } }], {
        aggregateType: 'Invoice',
      });
      const all = await getAs(t, token, `/api/aggregates/${id}/events`);
      expect(all.status).toBe(200);
      expect(all.body).toEqual({ aggregateId: id, aggregateType: 'Invoice', version: 3, items: stored });
      const range = await getAs(t, token, `/api/aggregates/${id}/events?fromVersion=2&toVersion=2`);
      expect(range.body).toMatchObject({ version: 3, items: [stored[1]] });
    });

    it('answers 404 STREAM_NOT_FOUND for an unknown stream and 400 for a bad range', async () => {
      const missing = await getAs(t, token, `/api/aggregates/${newAggregateId()}/events`);
      expect(missing.status).toBe(404);
      expect(missing.body).toMatchObject({ statusCode: 404, error: 'Not Found', code: 'STREAM_NOT_FOUND' });
      const id = newAggregateId();
      await appendVia(t, token, id, [{}]);
      for (const query of ['fromVersion=0', 'toVersion=x', 'fromVersion=3&toVersion=2', 'unknown=1']) {
        expect((await getAs(t, token, `/api/aggregates/${id}/events?${query}`)).status).toBe(400);
      }
    });
  });

  describe('GET /api/events', () => {
    let tagged: EventJson[];
    const tag = `run${Date.now()}`;
    beforeAll(async () => {
      const t1 = await appendVia(
        t,
        token,
        newAggregateId('ord'),
        [
          { eventType: 'OrderPlaced', occurredAt: '2025-03-01T00:00:00.000Z', data: { note: `${tag} alpha` } },
          { eventType: 'OrderShipped', occurredAt: '2025-03-02T00:00:00.000Z', data: { note: `${tag} beta` } },
        ],
        { aggregateType: 'Order' },
      );
      const t2 = await postAs(t, t.token('audit-co', ['writer'], 'bob'), `/api/aggregates/${newAggregateId('inv')}/events`, {
        aggregateType: 'Invoice',
        events: [{ eventType: 'InvoiceIssued', occurredAt: '2025-03-03T00:00:00.000Z', data: { note: `${tag} GAMMA` } }],
      }).set('x-correlation-id', `${tag}-corr`);
      await t.settle();
      tagged = [...t1, ...t2.body.events];
    });
    const ids = (res: { body: { items: EventJson[] } }) => res.body.items.map((e) => e.eventId);

    it('filters by keyword (case-insensitive), event type (repeat or comma list), aggregate, user, correlation and time', async () => {
      const [placed, shipped, issued] = tagged;
      expect(ids(await getAs(t, token, `/api/events?q=${tag}`))).toEqual([placed.eventId, shipped.eventId, issued.eventId]);
      expect(ids(await getAs(t, token, `/api/events?q=${tag.toUpperCase()}%20gamma`))).toEqual([issued.eventId]);
      expect(ids(await getAs(t, token, `/api/events?q=${tag}&eventType=OrderPlaced&eventType=InvoiceIssued`))).toEqual([
        placed.eventId,
        issued.eventId,
      ]);
      expect(ids(await getAs(t, token, `/api/events?q=${tag}&eventType=OrderShipped,InvoiceIssued`))).toEqual([
        shipped.eventId,
        issued.eventId,
      ]);
      expect(ids(await getAs(t, token, `/api/events?q=${tag}&aggregateType=Order`))).toEqual([placed.eventId, shipped.eventId]);
      expect(ids(await getAs(t, token, `/api/events?aggregateId=${placed.aggregateId}`))).toEqual([placed.eventId, shipped.eventId]);
      expect(ids(await getAs(t, token, `/api/events?q=${tag}&userId=bob`))).toEqual([issued.eventId]);
      expect(ids(await getAs(t, token, `/api/events?correlationId=${tag}-corr`))).toEqual([issued.eventId]);
      expect(ids(await getAs(t, token, `/api/events?q=${tag}&from=2025-03-02T00:00:00.000Z&to=2025-03-03T00:00:00.000Z`))).toEqual([
        shipped.eventId,
      ]);
      expect(ids(await getAs(t, token, `/api/events?q=${tag}&order=desc`))).toEqual([issued.eventId, shipped.eventId, placed.eventId]);
    });

    it('pages with limit, nextCursor and hasMore, and adds total on request', async () => {
      const first = await getAs(t, token, `/api/events?q=${tag}&limit=2&includeTotal=true`);
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ hasMore: true, nextCursor: expect.any(String), total: 3 });
      expect(first.body.items).toHaveLength(2);
      const second = await getAs(t, token, `/api/events?q=${tag}&limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`);
      expect(second.body).toEqual({ items: [tagged[2]], nextCursor: null, hasMore: false });
      expect((await getAs(t, token, `/api/events?q=${tag}`)).body.total).toBeUndefined();
    });

    it('yields every event exactly once while writes continue between pages', async () => {
      const id = newAggregateId('busy');
      const initial = await appendVia(
        t,
        token,
        id,
        Array.from({ length: 25 }, (_, n) => ({ data: { n } })),
      );
      const written = [...initial];
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res = await getAs(t, token, `/api/events?aggregateId=${id}&limit=4${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        seen.push(...ids(res));
        cursor = res.body.nextCursor;
        // Keep writing while paging: new events land after the cursor and must show up once.
        if (pages++ < 5) written.push(...(await appendVia(t, token, id, [{ data: { late: pages } }, { data: { late: pages } }])));
      } while (cursor);
      expect(new Set(seen).size).toBe(seen.length);
      // The last writes may come after the final page was read; everything written before it was seen, in order.
      const expected = written.map((e) => e.eventId).filter((eventId) => seen.includes(eventId));
      expect(seen).toEqual(expected);
      expect(seen.length).toBeGreaterThanOrEqual(initial.length + 8);
      const all = await readAllPages(t, token, `aggregateId=${id}&limit=7`);
      expect(all.items.map((e) => e.eventId)).toEqual(written.map((e) => e.eventId));
    });

    it('answers 400 for bad parameters', async () => {
      const bad = [
        'limit=0',
        'limit=1001',
        'limit=abc',
        'order=sideways',
        'from=yesterday',
        'to=2025-13-45',
        'includeTotal=yes',
        'cursor=not-a-cursor',
        'eventType=9bad',
        'tenantId=other-co',
        'nonsense=1',
      ];
      for (const query of bad) {
        const res = await getAs(t, token, `/api/events?${query}`);
        expect({ query, status: res.status }).toEqual({ query, status: 400 });
        expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      }
      const desc = await getAs(t, token, `/api/events?q=${tag}&limit=1&order=desc`);
      const wrongOrder = await getAs(t, token, `/api/events?q=${tag}&limit=1&order=asc&cursor=${encodeURIComponent(desc.body.nextCursor)}`);
      expect(wrongOrder.status).toBe(400);
    });

    it('defaults to 100 per page and accepts 1000', async () => {
      await appendVia(
        t,
        token,
        newAggregateId('bulk'),
        Array.from({ length: 101 }, () => ({})),
      );
      const page = await getAs(t, token, '/api/events');
      expect(page.body.items).toHaveLength(100);
      expect(page.body.hasMore).toBe(true);
      expect((await getAs(t, token, '/api/events?limit=1000')).status).toBe(200);
    });
  });

  describe('GET /api/events/:eventId, /api/events/stats, /api/event-types', () => {
    it('returns one event, and 404 EVENT_NOT_FOUND for an unknown id or a non-UUID', async () => {
      const [event] = await appendVia(t, token, newAggregateId(), [{ data: { one: 1 } }]);
      const res = await getAs(t, token, `/api/events/${event.eventId}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(event);
      for (const id of [randomUUID(), 'not-a-uuid', '123']) {
        const miss = await getAs(t, token, `/api/events/${id}`);
        expect(miss.status).toBe(404);
        expect(miss.body).toMatchObject({ statusCode: 404, error: 'Not Found', code: 'EVENT_NOT_FOUND' });
      }
    });

    it('returns statistics of the tenant', async () => {
      const fresh = t.token('stats-co', ['auditor', 'writer']);
      const empty = await getAs(t, fresh, '/api/events/stats');
      expect(empty.body).toEqual({
        totalEvents: 0,
        redactedEvents: 0,
        byEventType: {},
        byAggregateType: {},
        firstEventAt: null,
        lastEventAt: null,
      });
      await appendVia(
        t,
        fresh,
        'stats-1',
        [
          { eventType: 'A', occurredAt: '2025-01-01T00:00:00.000Z' },
          { eventType: 'B', occurredAt: '2025-02-01T00:00:00.000Z' },
          { eventType: 'A' },
        ],
        { aggregateType: 'Ledger' },
      );
      const stats = await getAs(t, fresh, '/api/events/stats');
      expect(stats.status).toBe(200);
      expect(stats.body).toMatchObject({ totalEvents: 3, redactedEvents: 0, byEventType: { A: 2, B: 1 }, byAggregateType: { Ledger: 3 } });
      expect(stats.body.firstEventAt).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(stats.body.lastEventAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    });

    it('returns statistics of a date range, and 400 naming the field for a bad one', async () => {
      const fresh = t.token('stats-range-co', ['auditor', 'writer']);
      await appendVia(
        t,
        fresh,
        'range-1',
        [
          { eventType: 'A', occurredAt: '2025-01-01T00:00:00.000Z' },
          { eventType: 'B', occurredAt: '2025-02-01T00:00:00.000Z' },
          { eventType: 'C', occurredAt: '2025-03-01T00:00:00.000Z' },
        ],
        { aggregateType: 'Ledger' },
      );
      const res = await getAs(t, fresh, '/api/events/stats?from=2025-02-01T00:00:00Z&to=2025-03-01T00:00:00Z');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        totalEvents: 1,
        redactedEvents: 0,
        byEventType: { B: 1 },
        byAggregateType: { Ledger: 1 },
        firstEventAt: '2025-02-01T00:00:00.000Z',
        lastEventAt: '2025-02-01T00:00:00.000Z',
      });
      for (const [query, field] of [
        ['from=yesterday', 'from'],
        ['to=2025-13-01', 'to'],
        ['from=2025-03-01T00:00:00Z&to=2025-02-01T00:00:00Z', 'to'],
      ]) {
        const bad = await getAs(t, fresh, `/api/events/stats?${query}`);
        expect(bad.status).toBe(400);
        expect(bad.body.message).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^${field}: `))]));
      }
    });

    it('lists the event types with their latest version and stored count', async () => {
      const fresh = t.token('types-co', ['auditor', 'writer']);
      await appendVia(t, fresh, 'types-1', [{ eventType: 'ThingHappened' }, { eventType: 'ThingHappened' }], { aggregateType: 'Ledger' });
      const res = await getAs(t, fresh, '/api/event-types');
      expect(res.status).toBe(200);
      expect(res.body.items).toEqual(expect.arrayContaining([{ eventType: 'ThingHappened', latestVersion: 1, storedEvents: 2 }]));
    });
  });
});
