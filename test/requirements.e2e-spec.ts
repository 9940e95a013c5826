import { describeEachBackend } from '@nest-event-store/core/testing';
import { getAs, postAs } from './helpers/events';
import { TestApp, openTestApp } from './helpers/test-app';

describeEachBackend('requirements domain (REST)', (mode) => {
  let t: TestApp;
  let writer: string;
  let auditor: string;
  beforeAll(async () => {
    t = await openTestApp(mode);
    writer = t.token('acme', ['writer', 'auditor'], 'alice');
    auditor = t.token('acme', ['auditor']);
  });
  afterAll(() => t?.close());

  const create = async (title = 'Login works') => {
    const res = await postAs(t, writer, '/api/requirements', { title, priority: 'HIGH' });
    expect(res.status).toBe(201);
    return res.body as { id: string; version: number; status: string };
  };
  const patchAs = (token: string, path: string, body: object) => t.http().patch(path).set('Authorization', `Bearer ${token}`).send(body);

  describe('create, approve, reject', () => {
    it('creates a draft (201) and reads it back; unknown ids and other tenants are 404', async () => {
      const created = await create();
      expect(created).toMatchObject({ version: 1, status: 'DRAFT', title: 'Login works', priority: 'HIGH' });
      const res = await getAs(t, auditor, `/api/requirements/${created.id}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(created);
      expect((await getAs(t, auditor, '/api/requirements/req-unknown')).status).toBe(404);
      expect((await getAs(t, t.token('globex', ['auditor']), `/api/requirements/${created.id}`)).status).toBe(404);
    });

    it('checks roles and the body', async () => {
      expect((await postAs(t, auditor, '/api/requirements', { title: 'x' })).status).toBe(403);
      expect((await t.http().post('/api/requirements').send({ title: 'x' })).status).toBe(401);
      const bad = await postAs(t, writer, '/api/requirements', { title: '', priority: 'URGENT', tenantId: 'globex' });
      expect(bad.status).toBe(400);
      expect(bad.body.message).toEqual(
        expect.arrayContaining([expect.stringMatching(/^title/), expect.stringMatching(/^priority/), expect.stringMatching(/^tenantId/)]),
      );
    });

    it('approves with a role, stores the event as v3 with the acting user, and refuses to reject afterwards', async () => {
      const { id } = await create();
      const approved = await postAs(t, writer, `/api/requirements/${id}/approval`, { approverRole: 'QA_LEAD', expectedVersion: 1 });
      expect(approved.status).toBe(200);
      expect(approved.body).toMatchObject({ version: 2, status: 'APPROVED', approverRole: 'QA_LEAD', approvedBy: 'alice' });
      const stream = await getAs(t, auditor, `/api/aggregates/${id}/events`);
      const event = stream.body.items[1];
      expect(event).toMatchObject({ eventType: 'RequirementApproved', eventVersion: 3, metadata: { userId: 'alice' } });
      expect(event.data.approvalTimestamp).toBe(event.occurredAt);
      const rejection = await postAs(t, writer, `/api/requirements/${id}/rejection`, { reason: 'too late' });
      expect(rejection.status).toBe(409);
      expect(rejection.body).toMatchObject({ statusCode: 409, error: 'DomainRuleViolation', rule: 'approved-cannot-reject' });
    });

    it('rejects with a reason and then refuses approval with 409 DomainRuleViolation', async () => {
      const { id } = await create();
      expect((await postAs(t, writer, `/api/requirements/${id}/rejection`, {})).status).toBe(400);
      const rejected = await postAs(t, writer, `/api/requirements/${id}/rejection`, { reason: 'vague' });
      expect(rejected.status).toBe(200);
      expect(rejected.body).toMatchObject({ status: 'REJECTED', rejectionReason: 'vague', version: 2 });
      const approval = await postAs(t, writer, `/api/requirements/${id}/approval`, {});
      expect(approval.status).toBe(409);
      expect(approval.body).toMatchObject({ error: 'DomainRuleViolation', rule: 'rejected-cannot-approve' });
    });
  });

  describe('optimistic concurrency', () => {
    it('answers a stale expectedVersion with 409 ConcurrencyError', async () => {
      const { id } = await create();
      expect((await patchAs(writer, `/api/requirements/${id}`, { expectedVersion: 1, title: 'v2' })).status).toBe(200);
      const stale = await patchAs(writer, `/api/requirements/${id}`, { expectedVersion: 1, title: 'v3' });
      expect(stale.status).toBe(409);
      expect(stale.body).toMatchObject({ statusCode: 409, error: 'ConcurrencyError', expectedVersion: 1, actualVersion: 2 });
      expect((await patchAs(writer, `/api/requirements/${id}`, { title: 'v3' })).status).toBe(400);
    });

    it('lets exactly one of two parallel PATCHes with the same expectedVersion win', async () => {
      const { id } = await create();
      const [a, b] = await Promise.all([
        patchAs(writer, `/api/requirements/${id}`, { expectedVersion: 1, title: 'from A' }),
        patchAs(writer, `/api/requirements/${id}`, { expectedVersion: 1, title: 'from B' }),
      ]);
      expect([a.status, b.status].sort()).toEqual([200, 409]);
      const loser = a.status === 409 ? a : b;
      expect(loser.body).toMatchObject({ error: 'ConcurrencyError', expectedVersion: 1, actualVersion: 2 });
      const winner = a.status === 200 ? a : b;
      const current = await getAs(t, auditor, `/api/requirements/${id}`);
      expect(current.body).toMatchObject({ version: 2, title: winner.body.title });
    });
  });

  describe('time travel', () => {
    it('returns the state as of a version or a point in time', async () => {
      const { id } = await create('first');
      await patchAs(writer, `/api/requirements/${id}`, { expectedVersion: 1, title: 'second' });
      await postAs(t, writer, `/api/requirements/${id}/approval`, {});
      const v1 = await getAs(t, auditor, `/api/requirements/${id}/history?version=1`);
      expect(v1.status).toBe(200);
      expect(v1.body).toMatchObject({ title: 'first', status: 'DRAFT', version: 1, asOf: { version: 1 } });
      const stream = (await getAs(t, auditor, `/api/aggregates/${id}/events`)).body.items;
      const at = stream[1].occurredAt;
      const byTime = await getAs(t, auditor, `/api/requirements/${id}/history?at=${encodeURIComponent(at)}`);
      expect(byTime.body).toMatchObject({ title: 'second', status: 'DRAFT', version: 2 });
      expect((await getAs(t, auditor, `/api/requirements/${id}/history?version=9`)).status).toBe(400);
      expect((await getAs(t, auditor, `/api/requirements/${id}/history`)).status).toBe(400);
      expect((await getAs(t, auditor, `/api/requirements/${id}/history?at=2000-01-01T00:00:00Z`)).status).toBe(404);
    });
  });

  describe('upcasting RequirementApproved v1 → v3', () => {
    it('reads a stored v1 approval as v3 with approverRole REVIEWER and approvalTimestamp = occurredAt', async () => {
      const { id } = await create();
      const occurredAt = '2025-06-01T08:30:00.000Z';
      const append = await postAs(t, writer, `/api/aggregates/${id}/events`, {
        aggregateType: 'Requirement',
        expectedVersion: 1,
        events: [{ eventType: 'RequirementApproved', eventVersion: 1, occurredAt, data: { approvedBy: 'legacy' } }],
      });
      expect(append.status).toBe(201);
      expect(append.body.events[0].eventVersion).toBe(1);
      const expected = {
        eventType: 'RequirementApproved',
        eventVersion: 3,
        occurredAt,
        data: { approvedBy: 'legacy', approverRole: 'REVIEWER', approvalTimestamp: occurredAt },
      };
      const stream = await getAs(t, auditor, `/api/aggregates/${id}/events`);
      expect(stream.body.items[1]).toMatchObject(expected);
      const one = await getAs(t, auditor, `/api/events/${append.body.events[0].eventId}`);
      expect(one.status).toBe(200);
      expect(one.body).toMatchObject(expected);
      const state = await getAs(t, auditor, `/api/requirements/${id}`);
      expect(state.body).toMatchObject({ status: 'APPROVED', approverRole: 'REVIEWER', approvedAt: occurredAt, approvedBy: 'legacy' });
    });
  });

  describe('releases', () => {
    it('plans a release, takes only approved requirements, and ships once', async () => {
      const approvedReq = await create('approved one');
      await postAs(t, writer, `/api/requirements/${approvedReq.id}/approval`, {});
      const draft = await create('draft one');
      const planned = await postAs(t, writer, '/api/releases', { name: '1.0' });
      expect(planned.status).toBe(201);
      const rel = planned.body.id as string;
      expect((await postAs(t, writer, `/api/releases/${rel}/shipment`, {})).body).toMatchObject({
        error: 'DomainRuleViolation',
        rule: 'release-empty',
      });
      expect((await postAs(t, writer, `/api/releases/${rel}/requirements`, { requirementId: draft.id })).status).toBe(409);
      expect((await postAs(t, writer, `/api/releases/${rel}/requirements`, { requirementId: 'req-unknown' })).status).toBe(404);
      expect(
        (await postAs(t, writer, `/api/releases/${rel}/requirements`, { requirementId: approvedReq.id, expectedVersion: 1 })).status,
      ).toBe(200);
      const shipped = await postAs(t, writer, `/api/releases/${rel}/shipment`, { expectedVersion: 2 });
      expect(shipped.status).toBe(200);
      expect(shipped.body).toMatchObject({ status: 'SHIPPED', requirementIds: [approvedReq.id], version: 3 });
      expect((await postAs(t, writer, `/api/releases/${rel}/shipment`, {})).status).toBe(409);
      expect((await getAs(t, auditor, `/api/releases/${rel}`)).body).toMatchObject({ name: '1.0', status: 'SHIPPED' });
      // A requirement id is not a release.
      expect((await getAs(t, auditor, `/api/releases/${approvedReq.id}`)).status).toBe(404);
    });
  });

  describe('status board projection', () => {
    it('counts requirements by status for the caller tenant only', async () => {
      const board = async () => (await getAs(t, auditor, '/api/requirements/board')).body;
      const other = t.token('board-tenant', ['writer', 'auditor']);
      const a = (await postAs(t, other, '/api/requirements', { title: 'a' })).body;
      const b = (await postAs(t, other, '/api/requirements', { title: 'b' })).body;
      await postAs(t, other, '/api/requirements', { title: 'c' });
      await postAs(t, other, `/api/requirements/${a.id}/approval`, {});
      await postAs(t, other, `/api/requirements/${b.id}/rejection`, { reason: 'no' });
      const expected = { counts: { DRAFT: 1, APPROVED: 1, REJECTED: 1 }, total: 3 };
      let seen: any;
      for (let i = 0; i < 100; i++) {
        seen = (await getAs(t, other, '/api/requirements/board')).body;
        if (seen.total === 3 && seen.counts.APPROVED === 1 && seen.counts.REJECTED === 1) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(seen).toMatchObject(expected);
      expect(seen.items.find((i: any) => i.id === a.id)).toMatchObject({ title: 'a', status: 'APPROVED', version: 2 });
      expect((await board()).items.some((i: any) => i.id === a.id)).toBe(false);
      expect((await getAs(t, t.token('board-tenant', ['writer']), '/api/requirements/board')).status).toBe(403);
    });
  });
});
