import { ProductionRolesDatabase, createProductionRolesDatabase, describeEachBackend } from '@nest-event-store/core/testing';
import { getAs, postAs } from './helpers/events';
import { TestApp, openTestApp } from './helpers/test-app';

// README "Production roles": the API migrates as the owner login
// (MIGRATIONS_DATABASE_URL) and serves as a runtime login that holds only the
// store's runtime group role, including the projection's own table.
describeEachBackend(
  'the API under separate owner and runtime logins',
  (mode) => {
    let db: ProductionRolesDatabase;
    let t: TestApp;
    beforeAll(async () => {
      db = await createProductionRolesDatabase();
      t = await openTestApp(mode, { databaseUrl: db.runtimeUrl, migrationsDatabaseUrl: db.ownerUrl, rolePrefix: db.rolePrefix });
    });
    afterAll(async () => {
      await t?.close();
      await db?.drop();
    });

    it('appends, projects the status board, erases a subject and reports healthy', async () => {
      const token = t.token('acme', ['writer', 'auditor', 'dpo']);
      const created = await postAs(t, token, '/api/requirements', { title: 'Login works' });
      expect(created.status).toBe(201);
      expect((await postAs(t, token, `/api/requirements/${created.body.id}/approval`, {})).status).toBe(200);
      let board: { items: { id: string; status: string }[] } = { items: [] };
      for (let i = 0; i < 100 && board.items[0]?.status !== 'APPROVED'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        board = (await getAs(t, token, '/api/requirements/board')).body;
      }
      expect(board.items).toEqual([expect.objectContaining({ id: created.body.id, status: 'APPROVED' })]);

      const appended = await t
        .http()
        .post('/api/aggregates/cust-1/events')
        .set('Authorization', `Bearer ${token}`)
        .send({
          aggregateType: 'Customer',
          events: [{ eventType: 'CustomerRegistered', data: { name: 'Alice' }, metadata: { subjectId: 'subj-1' } }],
        });
      expect(appended.status).toBe(201);
      const erased = await postAs(t, token, '/api/gdpr/erasure-requests', { subjectId: 'subj-1', reason: 'art. 17' });
      expect(erased.body).toEqual({ subjectId: 'subj-1', redactedEvents: 1 });
      expect((await t.http().get('/api/health')).status).toBe(200);
    });
  },
  ['server'],
);
