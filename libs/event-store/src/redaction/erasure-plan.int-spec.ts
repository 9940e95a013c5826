import { Client } from 'pg';
import { describeEachBackend } from '../testing/describe-each-backend';
import { TestStore, openTestStore } from '../testing/test-store';
import { openExplainer } from '../store/plans.helpers';
import { NewDomainEvent } from '../types/stored-domain-event';
import { subjectKey } from './erase-subject';
import { FIND_SUBJECT_EVENTS_SQL } from './redaction.sql';

/** n events of a tenant, every `tagEvery`-th naming the subject (some through subjectIds). */
const events = (n: number, subjectId: string, tagEvery: number): NewDomainEvent[] =>
  Array.from({ length: n }, (_, i) => ({
    aggregateType: 'Customer',
    aggregateId: `c-${i % 50}`,
    eventType: 'CustomerNoted',
    data: { i },
    metadata: i % tagEvery ? { userId: 'u' } : i % (2 * tagEvery) ? { subjectId } : { subjectIds: ['other', subjectId] },
  }));

/**
 * The erasure lookup must be served by ix_events_subject_keys, with tenant
 * and subject in the index condition, whatever the planner knows: no
 * statistics, fresh statistics, a tenant the statistics have never seen, and
 * the cached generic plan. Both statements run inside the store's functions
 * (event_store_subject_positions, event_store_redact), so their plans are
 * read through auto_explain, seven calls each (plpgsql switches to a cached
 * generic plan after five). Server only: PGlite is one process, and its
 * planner is the same code.
 */
describeEachBackend(
  'erasure lookup plan',
  (mode) => {
    let t: TestStore;
    let explainer: Client;
    const messages: string[] = [];
    beforeAll(async () => {
      t = await openTestStore(mode);
      // The "no statistics" state must not be ended by autovacuum mid-test.
      await t.database.dataSource.query(`ALTER TABLE stored_domain_events SET (autovacuum_enabled = false)`);
      const all = events(20_000, 'subj-old', 100);
      for (let i = 0; i < all.length; i += 1000) await t.store.appendEvents(all.slice(i, i + 1000), 'big-tenant');
      explainer = await openExplainer(t.testDatabase.databaseUrl!, messages);
    }, 120_000);
    afterAll(async () => {
      await explainer?.end();
      await t?.close();
    });

    /** The plans (text) of the function's inner statement that starts with `inner`, over seven calls in rolled-back transactions of the tenant. */
    async function plansInFunction(tenantId: string, sql: string, values: unknown[], inner: RegExp): Promise<string[]> {
      const plans: string[] = [];
      for (let i = 0; i < 7; i++) {
        messages.length = 0;
        await explainer.query('BEGIN');
        try {
          await explainer.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
          await explainer.query(sql, values);
        } finally {
          await explainer.query('ROLLBACK');
        }
        plans.push(...messages.filter((m) => inner.test(m)));
      }
      expect(plans).toHaveLength(7);
      return plans;
    }

    const lookupPlans = (tenantId: string, subjectId: string) =>
      plansInFunction(
        tenantId,
        FIND_SUBJECT_EVENTS_SQL,
        [subjectKey(tenantId, subjectId), tenantId, 5000],
        /Query Text: WITH hits AS MATERIALIZED/,
      );

    function expectServedByTheIndex(plans: string[]): void {
      for (const plan of plans) {
        expect(plan).toMatch(/Bitmap Index Scan on ix_events_subject_keys/);
        const cond = plan.split('\n').find((line) => line.includes('Index Cond'));
        expect(cond).toMatch(/event_store_subject_keys\((x\.)?tenant_id, (x\.)?metadata\) @> (ARRAY\[|')/);
        expect(plan).not.toMatch(/Seq Scan on stored_domain_events|Index Scan using ix_events_tenant/);
      }
    }

    it('uses the subject-key index with no statistics', async () => {
      const [{ analyzed }] = await t.database.dataSource.query(
        `SELECT count(*)::int AS analyzed FROM pg_stats WHERE tablename = 'stored_domain_events' AND attname = 'tenant_id'`,
      );
      expect(analyzed).toBe(0);
      expectServedByTheIndex(await lookupPlans('big-tenant', 'subj-old'));
    });

    it('uses the subject-key index with fresh statistics, also as the cached generic plan', async () => {
      await t.database.dataSource.query(`ANALYZE stored_domain_events`);
      expectServedByTheIndex(await lookupPlans('big-tenant', 'subj-old'));
    });

    it('uses the subject-key index for a tenant absent from the statistics', async () => {
      await t.store.appendEvents(events(500, 'subj-new', 10), 'new-tenant');
      expectServedByTheIndex(await lookupPlans('new-tenant', 'subj-new'));
      // And the lookup finds exactly that tenant's tagged events.
      const found = await t.database.runInTenant('new-tenant', (q) =>
        q.query(FIND_SUBJECT_EVENTS_SQL, [subjectKey('new-tenant', 'subj-new'), 'new-tenant', 5000]),
      );
      expect(found).toHaveLength(50);
    });

    it('redacts a chunk by one key probe per position, never a scan of the tenant', async () => {
      const chunkPlans = async (tenantId: string, subjectId: string) => {
        const found = await t.database.runInTenant(tenantId, (q) =>
          q.query(FIND_SUBJECT_EVENTS_SQL, [subjectKey(tenantId, subjectId), tenantId, 500]),
        );
        const positions = found.map((r: { global_position: string }) => r.global_position);
        return plansInFunction(
          tenantId,
          `SELECT count(*) FROM event_store_redact($1, $2::bigint[], 'r', 'x', '{}')`,
          [tenantId, positions],
          /Query Text: WITH old AS MATERIALIZED/,
        );
      };
      for (const plan of [...(await chunkPlans('big-tenant', 'subj-old')), ...(await chunkPlans('new-tenant', 'subj-new'))]) {
        // The rows are found by one key probe per position, then rewritten by tuple id.
        expect(plan).not.toMatch(/Seq Scan on stored_domain_events|Bitmap (Heap|Index) Scan/);
        const probes =
          plan.match(
            /Index Scan using (pk_stored_domain_events|ix_events_tenant_position) on stored_domain_events[^\n]*\n[^\n]*Index Cond: \(.*global_position = /g,
          ) ?? [];
        expect(probes).toHaveLength(1);
        expect(plan).toMatch(/Tid Scan on stored_domain_events e/);
        expect(plan).toMatch(/CTE old/);
      }
    });
  },
  ['server'],
);
