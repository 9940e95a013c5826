import { describeEachBackend } from '../testing/describe-each-backend';
import { TestStore, openTestStore } from '../testing/test-store';
import { NewDomainEvent } from '../types/stored-domain-event';
import { subjectKey } from './erase-subject';
import { FIND_SUBJECT_EVENTS_SQL, REDACT_POSITIONS_SQL } from './redaction.sql';

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
 * a generic plan. Server only: PGlite is one process, and its planner is the
 * same code.
 */
describeEachBackend(
  'erasure lookup plan',
  (mode) => {
    let t: TestStore;
    beforeAll(async () => {
      t = await openTestStore(mode);
      // The "no statistics" state must not be ended by autovacuum mid-test.
      await t.database.dataSource.query(`ALTER TABLE stored_domain_events SET (autovacuum_enabled = false)`);
      const all = events(20_000, 'subj-old', 100);
      for (let i = 0; i < all.length; i += 1000) await t.store.appendEvents(all.slice(i, i + 1000), 'big-tenant');
    }, 120_000);
    afterAll(() => t?.close());

    const text = (rows: { 'QUERY PLAN': string }[]) => rows.map((r) => r['QUERY PLAN']).join('\n');

    /** The plan of the lookup as the store sends it (custom plan: parameters known). */
    function planOf(tenantId: string, subjectId: string): Promise<string> {
      return t.database.runAsSystem(async (q) => text(await q.query(`EXPLAIN ${FIND_SUBJECT_EVENTS_SQL}`, [subjectKey(tenantId, subjectId), tenantId, 5000])));
    }

    /** The generic plan (parameters unknown), as a prepared statement would get after five runs. Test constants only in the SQL text. */
    function genericPlanOf(tenantId: string): Promise<string> {
      return t.database.runAsSystem(async (q) => {
        await q.query(`SET LOCAL plan_cache_mode = force_generic_plan`);
        await q.query(`PREPARE erasure_lookup(text, text, integer) AS ${FIND_SUBJECT_EVENTS_SQL}`);
        try {
          return text(await q.query(`EXPLAIN EXECUTE erasure_lookup(E'${tenantId}\\x1fsubj', '${tenantId}', 5000)`));
        } finally {
          await q.query(`DEALLOCATE erasure_lookup`);
        }
      });
    }

    function expectServedByTheIndex(plan: string, tenantId: string, subjectId: string): void {
      expect(plan).toMatch(/Bitmap Index Scan on ix_events_subject_keys/);
      const cond = plan.split('\n').find((line) => line.includes('Index Cond'));
      expect(cond).toContain('event_store_subject_keys(tenant_id, metadata) @>');
      expect(cond).toContain(`{${subjectKey(tenantId, subjectId)}}`);
      expect(plan).not.toMatch(/Seq Scan on stored_domain_events|Index Scan using ix_events_tenant/);
    }

    it('uses the subject-key index with no statistics', async () => {
      const [{ analyzed }] = await t.database.dataSource.query(
        `SELECT count(*)::int AS analyzed FROM pg_stats WHERE tablename = 'stored_domain_events' AND attname = 'tenant_id'`,
      );
      expect(analyzed).toBe(0);
      expectServedByTheIndex(await planOf('big-tenant', 'subj-old'), 'big-tenant', 'subj-old');
    });

    it('uses the subject-key index with fresh statistics, also as a generic plan', async () => {
      await t.database.dataSource.query(`ANALYZE stored_domain_events`);
      expectServedByTheIndex(await planOf('big-tenant', 'subj-old'), 'big-tenant', 'subj-old');
      const generic = await genericPlanOf('big-tenant');
      expect(generic).toMatch(/Bitmap Index Scan on ix_events_subject_keys/);
      expect(generic).toMatch(/Index Cond: \(event_store_subject_keys\(tenant_id, metadata\) @> ARRAY\[\$1\]\)/);
    });

    it('uses the subject-key index for a tenant absent from the statistics', async () => {
      await t.store.appendEvents(events(500, 'subj-new', 10), 'new-tenant');
      expectServedByTheIndex(await planOf('new-tenant', 'subj-new'), 'new-tenant', 'subj-new');
      // And the lookup finds exactly that tenant's tagged events.
      const found = await t.database.runAsSystem((q) => q.query(FIND_SUBJECT_EVENTS_SQL, [subjectKey('new-tenant', 'subj-new'), 'new-tenant', 5000]));
      expect(found).toHaveLength(50);
    });

    it('redacts a chunk by position: the primary key with statistics, the chunk range in the index without them, never a loop over the tenant', async () => {
      const chunkPlan = async (tenantId: string, subjectId: string) => {
        const found = await t.database.runAsSystem((q) => q.query(FIND_SUBJECT_EVENTS_SQL, [subjectKey(tenantId, subjectId), tenantId, 500]));
        const positions = found.map((r: { global_position: string }) => r.global_position);
        return t.database.runInTenant(tenantId, async (q) => text(await q.query(`EXPLAIN ${REDACT_POSITIONS_SQL}`, [tenantId, positions, [], 'r', 'x', positions[0], positions[positions.length - 1]])));
      };
      const known = await chunkPlan('big-tenant', 'subj-old');
      expect(known.match(/Index Scan using pk_stored_domain_events/g)).toHaveLength(2);
      expect(known).toMatch(/Index Cond: .*global_position = ANY/);
      // A tenant the statistics have not seen may be read through a tenant index,
      // but each scan reads it once: no join ever has the table on its inner side.
      const unseen = await chunkPlan('new-tenant', 'subj-new');
      // Both scans bound by position in the index, whichever index the planner picks.
      expect(unseen.match(/Index Cond: .*global_position (>=|= ANY)/g)).toHaveLength(2);
      for (const plan of [known, unseen]) {
        expect(plan).not.toMatch(/Seq Scan on stored_domain_events/);
        expect(plan).not.toMatch(/(Nested Loop|Hash Join|Merge Join)[^\n]*\n(\s+.*\n)*?\s+-> {2}(Index|Bitmap|Seq)[^\n]*stored_domain_events/);
        expect(plan).toMatch(/CTE old/);
      }
    });
  },
  ['server'],
);
