import { describeEachBackend } from '@nest-event-store/core/testing';
import { EventJson, appendVia, getAs, postAs, readAllPages } from './helpers/events';
import { TestApp, openTestApp } from './helpers/test-app';

/**
 * Tenant B must never see, count, page through, search or redact tenant A's
 * data, whatever ids it guesses; tenancy comes from the token only.
 */
describeEachBackend('tenant isolation across every route', (mode) => {
  let t: TestApp;
  let tokenA: string;
  let tokenB: string;
  let eventsA: EventJson[];
  let eventsB: EventJson[];
  const SHARED_ID = 'shared-aggregate';
  const SECRET = 'acme-confidential-marker';

  beforeAll(async () => {
    t = await openTestApp(mode);
    tokenA = t.token('tenant-a', ['auditor', 'writer', 'dpo'], 'alice');
    tokenB = t.token('tenant-b', ['auditor', 'writer', 'dpo'], 'bob');
    eventsA = await appendVia(
      t,
      tokenA,
      SHARED_ID,
      [
        { eventType: 'SecretFiled', data: { text: SECRET }, metadata: { subjectId: 'subject-a' } },
        { eventType: 'SecretFiled', data: { text: `${SECRET} 2` }, metadata: { subjectId: 'subject-a' } },
        { eventType: 'OnlyInA', data: {} },
      ],
      { aggregateType: 'Dossier' },
    );
    // The same aggregate id in tenant B is a different stream: no conflict, its own versions.
    eventsB = await appendVia(t, tokenB, SHARED_ID, [{ eventType: 'NoteTaken', data: { text: 'b' } }], {
      aggregateType: 'Notebook',
      expectedVersion: 'no_stream',
    });
  });
  afterAll(() => t?.close());

  it('keeps one aggregate id as two streams', async () => {
    expect(eventsB[0]).toMatchObject({ tenantId: 'tenant-b', aggregateVersion: 1, aggregateType: 'Notebook' });
    const streamB = await getAs(t, tokenB, `/api/aggregates/${SHARED_ID}/events`);
    expect(streamB.body).toMatchObject({ aggregateType: 'Notebook', version: 1, items: eventsB });
    const streamA = await getAs(t, tokenA, `/api/aggregates/${SHARED_ID}/events`);
    expect(streamA.body).toMatchObject({ aggregateType: 'Dossier', version: 3, items: eventsA });
  });

  it("answers 404 for A's stream and A's event ids, read or redacted by B", async () => {
    expect((await getAs(t, tokenB, '/api/aggregates/only-a/events')).status).toBe(404);
    await appendVia(t, tokenA, 'only-a', [{}]);
    expect((await getAs(t, tokenB, '/api/aggregates/only-a/events')).status).toBe(404);
    for (const event of eventsA) {
      const read = await getAs(t, tokenB, `/api/events/${event.eventId}`);
      expect(read.status).toBe(404);
      expect(JSON.stringify(read.body)).not.toContain(SECRET);
      const redact = await postAs(t, tokenB, `/api/events/${event.eventId}/redaction`, { reason: 'probe' });
      expect(redact.status).toBe(404);
    }
    // The same answer as for an id nobody has: nothing to tell the ids apart.
    const unknown = await getAs(t, tokenB, '/api/events/7d1f4f7e-2a57-4b3c-9a3e-0c4d2f1b9e00');
    const foreign = await getAs(t, tokenB, `/api/events/${eventsA[0].eventId}`);
    expect(Object.keys(foreign.body).sort()).toEqual(Object.keys(unknown.body).sort());
    expect(foreign.body.error).toBe(unknown.body.error);
    expect((await getAs(t, tokenA, `/api/events/${eventsA[0].eventId}`)).body).toMatchObject({ isRedacted: false, data: { text: SECRET } });
  });

  it('lists, searches, filters and counts only the caller tenant', async () => {
    const all = await readAllPages(t, tokenB, 'limit=1');
    expect(all.items.length).toBeGreaterThan(0);
    expect(all.items.every((e) => e.tenantId === 'tenant-b')).toBe(true);
    for (const query of [
      `q=${SECRET}`,
      'eventType=SecretFiled',
      'aggregateType=Dossier',
      'userId=alice',
      `correlationId=${eventsA[0].metadata.correlationId}`,
      `aggregateId=${SHARED_ID}&eventType=OnlyInA`,
    ]) {
      const res = await getAs(t, tokenB, `/api/events?${query}&includeTotal=true`);
      expect({ query, items: res.body.items, total: res.body.total }).toEqual({ query, items: [], total: 0 });
    }
    const statsB = (await getAs(t, tokenB, '/api/events/stats')).body;
    expect(statsB.byEventType).not.toHaveProperty('SecretFiled');
    expect(statsB.byAggregateType).not.toHaveProperty('Dossier');
    expect(statsB.totalEvents).toBe(all.items.length);
    const typesB = (await getAs(t, tokenB, '/api/event-types')).body.items.map((i: { eventType: string }) => i.eventType);
    expect(typesB).not.toContain('OnlyInA');
  });

  it("does not let B page into A's events with a cursor issued to A", async () => {
    const pageA = await getAs(t, tokenA, '/api/events?limit=1');
    expect(pageA.body.nextCursor).toEqual(expect.any(String));
    const res = await getAs(t, tokenB, `/api/events?limit=1000&cursor=${encodeURIComponent(pageA.body.nextCursor)}`);
    expect(res.status).toBe(200);
    expect(res.body.items.every((e: EventJson) => e.tenantId === 'tenant-b')).toBe(true);
  });

  it("does not erase A's subject when B asks", async () => {
    const res = await postAs(t, tokenB, '/api/gdpr/erasure-requests', { subjectId: 'subject-a', reason: 'probe' });
    expect(res.body).toEqual({ subjectId: 'subject-a', redactedEvents: 0 });
    const streamA = await getAs(t, tokenA, `/api/aggregates/${SHARED_ID}/events`);
    expect(streamA.body.items.map((e: EventJson) => e.isRedacted)).toEqual([false, false, false]);
    expect((await getAs(t, tokenA, '/api/events/stats')).body.redactedEvents).toBe(0);
  });

  it('ignores every attempt to name a tenant outside the token', async () => {
    expect((await getAs(t, tokenB, '/api/events?tenantId=tenant-a')).status).toBe(400);
    expect((await getAs(t, tokenB, '/api/events?tenant_id=tenant-a')).status).toBe(400);
    const header = await getAs(t, tokenB, `/api/events/${eventsA[0].eventId}`).set('x-tenant-id', 'tenant-a');
    expect(header.status).toBe(404);
    const body = await postAs(t, tokenB, `/api/aggregates/${SHARED_ID}/events`, {
      aggregateType: 'Notebook',
      tenantId: 'tenant-a',
      events: [{ eventType: 'X', data: {} }],
    });
    expect(body.status).toBe(400);
    // tenantId inside event metadata is just data: the event still lands in B.
    const [stored] = await appendVia(t, tokenB, 'b-2', [{ metadata: { tenantId: 'tenant-a' } }]);
    expect(stored.tenantId).toBe('tenant-b');
    expect((await getAs(t, tokenA, `/api/events/${stored.eventId}`)).status).toBe(404);
  });

  it("cannot reuse A's event id to overwrite or probe A's event", async () => {
    const res = await postAs(t, tokenB, '/api/aggregates/b-3/events', {
      aggregateType: 'Notebook',
      events: [{ eventId: eventsA[0].eventId, eventType: 'NoteTaken', data: { text: 'b' } }],
    });
    // Event ids are unique per tenant: B gets its own event, A's stays as it was.
    expect(res.status).toBe(201);
    expect(res.body.events[0]).toMatchObject({ tenantId: 'tenant-b', eventId: eventsA[0].eventId });
    expect((await getAs(t, tokenA, `/api/events/${eventsA[0].eventId}`)).body).toEqual(eventsA[0]);
    expect((await getAs(t, tokenB, `/api/events/${eventsA[0].eventId}`)).body.tenantId).toBe('tenant-b');
  });
});
