import { randomUUID } from 'node:crypto';
import { EventMigrationHandler, EventStoreService } from '@nest-event-store/core';
import { EventStoreDatabase, describeEachBackend } from '@nest-event-store/core/testing';
import type { Response } from 'supertest';
import { getAs, newAggregateId, postAs } from './helpers/events';
import { TestApp, openTestApp } from './helpers/test-app';

// Issue 7: every bad input is a 4xx naming the field, writes nothing, and no
// request of this file is ever answered with a 5xx.
const LONE = '\ud800';
const deep = (levels: number): unknown => {
  let value: unknown = 'leaf';
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
};
// As text: superagent's JSON.stringify gives up on thousands of levels.
const deepJson = (levels: number, leaf = '1'): string => `${'{"a":'.repeat(levels)}${leaf}${'}'.repeat(levels)}`;
const cursorOf = (t: string, p: string, o = 'asc') => Buffer.from(JSON.stringify({ t, p, o })).toString('base64url');

describeEachBackend('bad input is a 4xx naming the field, never a 500', (mode) => {
  let t: TestApp;
  let token: string;
  const statuses: number[] = [];
  beforeAll(async () => {
    t = await openTestApp(mode);
    token = t.token('bad-co', ['auditor', 'writer', 'dpo'], 'alice');
    // Every answer of the app, whatever the route: the last test checks that none was a 5xx.
    t.app
      .getHttpServer()
      .on('request', (_req: unknown, res: { statusCode: number; on(e: string, f: () => void): void }) =>
        res.on('finish', () => statuses.push(res.statusCode)),
      );
  });
  afterAll(() => t?.close());

  const patchAs = (path: string, body: object) => t.http().patch(path).set('Authorization', `Bearer ${token}`).send(body);
  const append = (id: string, events: object[], extra: object = {}) =>
    postAs(t, token, `/api/aggregates/${encodeURIComponent(id)}/events`, { aggregateType: 'Requirement', events, ...extra });
  const expect400 = (res: Response, field: string): void => {
    expect({ field, status: res.status }).toEqual({ field, status: 400 });
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(res.body.message).toEqual(
      expect.arrayContaining([expect.stringMatching(new RegExp(`^${field.replace(/[[\]().\\$"]/g, '\\$&')}: `))]),
    );
  };
  const expectNoStream = async (id: string) =>
    expect((await getAs(t, token, `/api/aggregates/${encodeURIComponent(id)}/events`)).status).toBe(404);
  const createRequirement = async (): Promise<string> => {
    const res = await postAs(t, token, '/api/requirements', { title: 'Login works' });
    expect(res.status).toBe(201);
    return res.body.id;
  };

  describe('lone UTF-16 surrogates', () => {
    it.each([
      ['a data value', { eventType: 'RequirementCreated', data: { title: `x${LONE}` } }, 'events[0].data.title'],
      ['a data key', { eventType: 'RequirementCreated', data: { [LONE]: 1 } }, 'events[0].data["\\ud800"]'],
      ['a nested data value', { eventType: 'RequirementCreated', data: { list: [{ v: LONE }] } }, 'events[0].data.list[0].v'],
      ['a metadata value', { eventType: 'RequirementCreated', data: {}, metadata: { source: LONE } }, 'events[0].metadata.source'],
      ['a metadata key', { eventType: 'RequirementCreated', data: {}, metadata: { [`k${LONE}`]: 1 } }, 'events[0].metadata["k\\ud800"]'],
    ])('answers 400 for one in %s of an append, and writes nothing', async (_, event, field) => {
      const id = newAggregateId('sur');
      expect400(await append(id, [event]), field);
      await expectNoStream(id);
    });

    it('answers 400 for one in every domain field, and changes nothing', async () => {
      const id = await createRequirement();
      expect400(await postAs(t, token, '/api/requirements', { title: LONE }), 'title');
      expect400(await postAs(t, token, '/api/requirements', { title: 'ok', description: `d${LONE}` }), 'description');
      expect400(await patchAs(`/api/requirements/${id}`, { expectedVersion: 1, title: LONE }), 'title');
      expect400(await patchAs(`/api/requirements/${id}`, { expectedVersion: 1, description: LONE }), 'description');
      expect400(await postAs(t, token, `/api/requirements/${id}/rejection`, { reason: LONE }), 'reason');
      expect400(await postAs(t, token, '/api/releases', { name: `r${LONE}` }), 'name');
      expect400(await postAs(t, token, '/api/gdpr/erasure-requests', { subjectId: LONE, reason: 'r' }), 'subjectId');
      expect400(await postAs(t, token, '/api/gdpr/erasure-requests', { subjectId: 's', reason: LONE }), 'reason');
      expect400(await postAs(t, token, `/api/events/${randomUUID()}/redaction`, { reason: `r${LONE}` }), 'reason');
      expect((await getAs(t, token, `/api/requirements/${id}`)).body).toMatchObject({ version: 1, status: 'DRAFT', title: 'Login works' });
    });
  });

  describe('deeply nested JSON', () => {
    it('answers 400 for a body nested thousands of levels deep, in any field, before validation walks it', async () => {
      const id = newAggregateId('deep');
      const postJson = (path: string, text: string) =>
        t.http().post(path).set('Authorization', `Bearer ${token}`).set('Content-Type', 'application/json').send(text);
      expect400(
        await postJson(
          `/api/aggregates/${id}/events`,
          `{"aggregateType":"Requirement","events":[{"eventType":"RequirementCreated","data":${deepJson(5000)}}]}`,
        ),
        'events',
      );
      expect400(await postJson('/api/requirements', `{"title":"x","description":${deepJson(5000)}}`), 'description');
      expect400(await postJson('/api/requirements', deepJson(100_000)), 'a');
      await expectNoStream(id);
    });

    it('answers 400 naming data for a payload just over the 100-level limit, and accepts 100 levels', async () => {
      const id = newAggregateId('deep');
      expect400(await append(id, [{ eventType: 'RequirementCreated', data: deep(101) as object }]), 'events[0].data');
      await expectNoStream(id);
      expect((await append(id, [{ eventType: 'RequirementCreated', data: deep(100) as object }])).status).toBe(201);
    });
  });

  describe('numbers beyond their column', () => {
    it.each([
      ['a position beyond bigint', cursorOf('1', '9223372036854775808')],
      ['a transaction id beyond bigint', cursorOf('9223372036854775808', '1')],
      ['a transaction id beyond xid8', cursorOf('18446744073709551616', '1')],
      ['a 25-digit position', cursorOf('1', '1'.repeat(25))],
    ])('answers 400 naming cursor for %s', async (_, cursor) => {
      expect400(await getAs(t, token, `/api/events?cursor=${cursor}`), 'cursor');
    });

    it('accepts a cursor at the largest bigint', async () => {
      const res = await getAs(t, token, `/api/events?cursor=${cursorOf('9223372036854775807', '9223372036854775807')}`);
      expect(res.status).toBe(200);
    });

    it('answers 400 for every integer parameter beyond int4', async () => {
      const id = await createRequirement();
      const big = 2_147_483_648;
      expect400(await getAs(t, token, `/api/requirements/${id}/history?version=${big}`), 'version');
      expect400(await getAs(t, token, `/api/aggregates/${id}/events?fromVersion=${big}`), 'fromVersion');
      expect400(await getAs(t, token, `/api/aggregates/${id}/events?toVersion=${big}`), 'toVersion');
      expect400(await getAs(t, token, `/api/events?limit=${big}`), 'limit');
      expect400(await patchAs(`/api/requirements/${id}`, { expectedVersion: big, title: 'x' }), 'expectedVersion');
      expect400(await postAs(t, token, `/api/requirements/${id}/approval`, { expectedVersion: big }), 'expectedVersion');
      expect400(await postAs(t, token, `/api/requirements/${id}/rejection`, { reason: 'r', expectedVersion: big }), 'expectedVersion');
      expect400(await append(id, [{ eventType: 'RequirementUpdated', data: {} }], { expectedVersion: big }), 'expectedVersion');
      expect400(await append(id, [{ eventType: 'RequirementUpdated', data: {}, eventVersion: big }]), 'events[0].eventVersion');
      const release = await postAs(t, token, '/api/releases', { name: 'R1' });
      expect400(
        await postAs(t, token, `/api/releases/${release.body.id}/requirements`, { requirementId: id, expectedVersion: big }),
        'expectedVersion',
      );
      expect400(await postAs(t, token, `/api/releases/${release.body.id}/shipment`, { expectedVersion: big }), 'expectedVersion');
      expect((await getAs(t, token, `/api/aggregates/${id}/events`)).body.version).toBe(1);
    });
  });

  describe('event types of a registered aggregate type', () => {
    it.each([['Bogus'], ['constructor'], ['toString'], ['hasOwnProperty']])(
      'answers 400 naming the unknown type %s on a Requirement stream, and writes nothing',
      async (eventType) => {
        const id = newAggregateId('req-poison');
        const res = await append(id, [
          { eventType: 'RequirementCreated', data: { title: 't' } },
          { eventType, data: {} },
        ]);
        expect400(res, 'events[1].eventType');
        expect(res.body.message.join(' ')).toContain(`'${eventType}' is not an event type of aggregate type 'Requirement'`);
        await expectNoStream(id);
      },
    );

    it('answers 422 UNKNOWN_EVENT_TYPE, not 500, for a stream poisoned before the type was declared; its raw events stay readable', async () => {
      // Written as an application without the Requirement repository would have (no declared types).
      const horizon = (t.app.get(EventStoreService) as unknown as { horizon: ConstructorParameters<typeof EventStoreService>[2] }).horizon;
      const undeclared = new EventStoreService(t.app.get(EventStoreDatabase), t.app.get(EventMigrationHandler), horizon);
      const id = newAggregateId('req-poison');
      await undeclared.appendEvents(
        [
          { aggregateType: 'Requirement', aggregateId: id, eventType: 'RequirementCreated', data: { title: 't' } },
          { aggregateType: 'Requirement', aggregateId: id, eventType: 'constructor', data: {} },
        ],
        'bad-co',
      );
      const expected = { statusCode: 422, code: 'UNKNOWN_EVENT_TYPE', eventType: 'constructor', aggregateId: id, aggregateVersion: 2 };
      expect((await getAs(t, token, `/api/requirements/${id}`)).body).toMatchObject(expected);
      expect((await postAs(t, token, `/api/requirements/${id}/approval`, {})).body).toMatchObject(expected);
      const release = await postAs(t, token, '/api/releases', { name: 'R2' });
      expect((await postAs(t, token, `/api/releases/${release.body.id}/requirements`, { requirementId: id })).body).toMatchObject(expected);
      expect((await getAs(t, token, `/api/releases/${release.body.id}`)).body.requirementIds).toEqual([]);
      const raw = await getAs(t, token, `/api/aggregates/${id}/events`);
      expect(raw.status).toBe(200);
      expect(raw.body.items.map((e: { eventType: string }) => e.eventType)).toEqual(['RequirementCreated', 'constructor']);
    });
  });

  describe('subject ids in metadata', () => {
    it.each([
      ['a number', { subjectId: 42 }, 'events[0].metadata.subjectId'],
      ['an array', { subjectId: ['c-1'] }, 'events[0].metadata.subjectId'],
      ['an object', { subjectId: { id: 'c-1' } }, 'events[0].metadata.subjectId'],
      ['empty', { subjectId: '' }, 'events[0].metadata.subjectId'],
      ['null', { subjectId: null }, 'events[0].metadata.subjectId'],
      ['over 200 characters', { subjectId: 's'.repeat(201) }, 'events[0].metadata.subjectId'],
      ['subjectIds as a string', { subjectIds: 'c-1' }, 'events[0].metadata.subjectIds'],
      ['subjectIds holding a number', { subjectIds: ['c-1', 7] }, 'events[0].metadata.subjectIds[1]'],
      ['subjectIds holding an object', { subjectIds: [{ id: 'c-1' }] }, 'events[0].metadata.subjectIds[0]'],
      ['subjectIds with 101 entries', { subjectIds: Array.from({ length: 101 }, (_, i) => `s-${i}`) }, 'events[0].metadata.subjectIds'],
    ])('answers 400 for a subject id that is %s, and writes nothing', async (_, metadata, field) => {
      const id = newAggregateId('subj');
      expect400(
        await append(id, [{ eventType: 'CustomerRegistered', data: { name: 'n' }, metadata }], { aggregateType: 'Customer' }),
        field,
      );
      await expectNoStream(id);
    });

    it('stores conforming subject ids, and erasure finds them', async () => {
      const id = newAggregateId('subj');
      const res = await append(
        id,
        [
          { eventType: 'CustomerRegistered', data: { name: 'n' }, metadata: { subjectId: 'cust-typed' } },
          { eventType: 'CustomerRegistered', data: { name: 'n' }, metadata: { subjectIds: ['other', 'cust-typed'] } },
        ],
        { aggregateType: 'Customer' },
      );
      expect(res.status).toBe(201);
      const erased = await postAs(t, token, '/api/gdpr/erasure-requests', { subjectId: 'cust-typed', reason: 'art. 17' });
      expect(erased.body).toEqual({ subjectId: 'cust-typed', redactedEvents: 2 });
    });
  });

  it('answered no request of this file with a 5xx', () => {
    expect(statuses.length).toBeGreaterThan(50);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
  });
});
