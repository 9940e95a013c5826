import { describeEachBackend, eventually } from '@nest-event-store/core/testing';
import { EventJson, appendVia, getAs, newAggregateId, postAs, readAllPages } from './helpers/events';
import { TestApp, openTestApp } from './helpers/test-app';

const SECRET_WORD = 'zebra-lighthouse';

/** Polls until `check` holds (read models are kept asynchronously). */
describeEachBackend('GDPR redaction and erasure', (mode) => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await openTestApp(mode);
    token = t.token('gdpr-co', ['auditor', 'writer', 'dpo'], 'dpo-dana');
  });
  afterAll(() => t?.close());

  /** Every read path that can return the event, after the change. */
  async function everyReadOf(event: EventJson): Promise<EventJson[]> {
    const byId = await getAs(t, token, `/api/events/${event.eventId}`);
    const stream = await getAs(t, token, `/api/aggregates/${event.aggregateId}/events`);
    const query = await readAllPages(t, token, `aggregateId=${event.aggregateId}&limit=1`);
    return [
      byId.body,
      stream.body.items.find((e: EventJson) => e.eventId === event.eventId),
      query.items.find((e) => e.eventId === event.eventId),
    ];
  }

  describe('POST /api/events/:eventId/redaction', () => {
    it('replaces the payload, drops PII metadata, keeps envelope and order on every read path and in search', async () => {
      const id = newAggregateId('customer');
      const [first, target, last] = await appendVia(
        t,
        token,
        id,
        [
          { eventType: 'CustomerRegistered', data: { name: 'first' } },
          {
            eventType: 'CustomerEmailChanged',
            data: { email: `${SECRET_WORD}@example.com` },
            metadata: { subjectId: 'cust-7', source: 'crm', ip: '10.0.0.1' },
          },
          { eventType: 'CustomerVerified', data: { ok: true } },
        ],
        { aggregateType: 'Customer' },
      );
      expect((await getAs(t, token, `/api/events?q=${SECRET_WORD}`)).body.items.map((e: EventJson) => e.eventId)).toEqual([target.eventId]);

      const res = await postAs(t, token, `/api/events/${target.eventId}/redaction`, { reason: 'art. 17 request' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        eventId: target.eventId,
        isRedacted: true,
        data: { redacted: true },
        redactedAt: expect.any(String),
      });

      for (const read of await everyReadOf(target)) {
        expect(read).toEqual({
          ...target,
          data: { redacted: true },
          // correlationId and source are allow-listed; userId, subjectId and ip may identify a person.
          metadata: { correlationId: target.metadata.correlationId, source: 'crm' },
          isRedacted: true,
          redactedAt: res.body.redactedAt,
        });
        expect(JSON.stringify(read)).not.toContain(SECRET_WORD);
      }
      const stream = await getAs(t, token, `/api/aggregates/${id}/events`);
      expect(stream.body.items.map((e: EventJson) => [e.eventId, e.aggregateVersion, e.globalPosition])).toEqual(
        [first, target, last].map((e) => [e.eventId, e.aggregateVersion, e.globalPosition]),
      );
      expect((await getAs(t, token, `/api/events?q=${SECRET_WORD}`)).body.items).toEqual([]);
      expect((await getAs(t, token, `/api/events?q=${SECRET_WORD}&includeTotal=true`)).body.total).toBe(0);
    });

    it('is idempotent: a second redaction answers 200 and changes nothing', async () => {
      const [event] = await appendVia(t, token, newAggregateId(), [{ data: { phone: '555-0100' } }]);
      const once = await postAs(t, token, `/api/events/${event.eventId}/redaction`, { reason: 'first' });
      const twice = await postAs(t, token, `/api/events/${event.eventId}/redaction`, { reason: 'second' });
      expect(twice.status).toBe(200);
      expect(twice.body).toEqual(once.body);
    });

    it('counts redacted events in the statistics', async () => {
      const before = (await getAs(t, token, '/api/events/stats')).body;
      const [event] = await appendVia(t, token, newAggregateId(), [{ data: { x: 1 } }]);
      await postAs(t, token, `/api/events/${event.eventId}/redaction`, { reason: 'r' });
      const after = (await getAs(t, token, '/api/events/stats')).body;
      // The event, and the $EventsRedacted marker that announced its redaction to read models.
      expect(after.totalEvents).toBe(before.totalEvents + 2);
      expect(after.redactedEvents).toBe(before.redactedEvents + 1);
    });

    it('answers 404 for an unknown id and for something that is not a UUID', async () => {
      for (const id of ['6f0c2f38-9c2a-4d8e-9d7e-2b4c7d0a1e11', 'not-a-uuid']) {
        const res = await postAs(t, token, `/api/events/${id}/redaction`, { reason: 'r' });
        expect(res.status).toBe(404);
        expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
      }
    });

    it('answers 400 without a reason, with an empty one, or with unknown fields', async () => {
      const [event] = await appendVia(t, token, newAggregateId(), [{ data: { keep: true } }]);
      for (const body of [{}, { reason: '' }, { reason: 'r', requestedBy: 'mallory' }, { reason: 42 }]) {
        const res = await postAs(t, token, `/api/events/${event.eventId}/redaction`, body);
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', message: expect.any(Array) });
      }
      expect((await getAs(t, token, `/api/events/${event.eventId}`)).body).toMatchObject({ isRedacted: false, data: { keep: true } });
    });
  });

  describe('POST /api/gdpr/erasure-requests', () => {
    it('redacts every event linked by subjectId or subjectIds and nothing else', async () => {
      const subject = `subject-${Date.now()}`;
      const a = newAggregateId('order');
      const b = newAggregateId('ticket');
      const [linked1, unrelated] = await appendVia(t, token, a, [
        { data: { shipTo: `${SECRET_WORD} street` }, metadata: { subjectId: subject } },
        { data: { total: 10 }, metadata: { subjectId: 'someone-else' } },
      ]);
      const [linked2] = await appendVia(t, token, b, [
        { data: { note: `${SECRET_WORD} called` }, metadata: { subjectIds: ['x', subject] } },
      ]);

      const res = await postAs(t, token, '/api/gdpr/erasure-requests', { subjectId: subject, reason: 'art. 17' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ subjectId: subject, redactedEvents: 2 });

      for (const event of [linked1, linked2]) {
        for (const read of await everyReadOf(event)) {
          expect(read).toMatchObject({
            eventId: event.eventId,
            isRedacted: true,
            data: { redacted: true },
            aggregateVersion: event.aggregateVersion,
            globalPosition: event.globalPosition,
          });
          expect(read.metadata.subjectId).toBeUndefined();
          expect(read.metadata.subjectIds).toBeUndefined();
        }
      }
      expect((await getAs(t, token, `/api/events/${unrelated.eventId}`)).body).toMatchObject({ isRedacted: false, data: { total: 10 } });
      expect((await getAs(t, token, `/api/events?q=${SECRET_WORD}`)).body.items).toEqual([]);

      const again = await postAs(t, token, '/api/gdpr/erasure-requests', { subjectId: subject, reason: 'repeat' });
      expect(again.body).toEqual({ subjectId: subject, redactedEvents: 0 });
    });

    it('reaches the status board: after erasure the board shows no title that came from the subject', async () => {
      const subject = `board-subject-${Date.now()}`;
      const tagged = newAggregateId('req');
      const untouched = newAggregateId('req');
      await appendVia(t, token, tagged, [
        {
          eventType: 'RequirementCreated',
          data: { title: `${SECRET_WORD} for Jane Roe`, priority: 'HIGH' },
          metadata: { subjectId: subject },
        },
      ]);
      await appendVia(t, token, untouched, [{ eventType: 'RequirementCreated', data: { title: 'Export as CSV', priority: 'LOW' } }]);
      const row = async (id: string) => (await getAs(t, token, '/api/requirements/board')).body.items?.find((i: EventJson) => i.id === id);
      await eventually(async () => (await row(tagged))?.title === `${SECRET_WORD} for Jane Roe` && (await row(untouched)) !== undefined);

      const res = await postAs(t, token, '/api/gdpr/erasure-requests', { subjectId: subject, reason: 'art. 17' });
      expect(res.body).toEqual({ subjectId: subject, redactedEvents: 1 });

      // The projection is asynchronous: the marker reaches it shortly after the commit.
      await eventually(async () => (await row(tagged))?.title === '');
      const board = (await getAs(t, token, '/api/requirements/board')).body;
      expect(JSON.stringify(board)).not.toContain(SECRET_WORD);
      expect(board.items.find((i: EventJson) => i.id === tagged)).toMatchObject({ title: '', status: 'DRAFT', priority: 'HIGH' });
      expect(board.items.find((i: EventJson) => i.id === untouched)).toMatchObject({ title: 'Export as CSV' });
    });

    it('answers 200 with zero for a subject with no events', async () => {
      const res = await postAs(t, token, '/api/gdpr/erasure-requests', { subjectId: 'nobody-at-all', reason: 'r' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ subjectId: 'nobody-at-all', redactedEvents: 0 });
    });

    it('answers 400 for a missing subject or reason, or an unknown field', async () => {
      for (const body of [
        { reason: 'r' },
        { subjectId: 's' },
        { subjectId: '', reason: 'r' },
        { subjectId: 's', reason: 'r', tenantId: 'other' },
      ]) {
        const res = await postAs(t, token, '/api/gdpr/erasure-requests', body);
        expect(res.status).toBe(400);
        expect(res.body.statusCode).toBe(400);
      }
    });
  });
});
