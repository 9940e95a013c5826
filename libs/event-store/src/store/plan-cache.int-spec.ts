import { Client } from 'pg';
import { describeEachBackend } from '../testing/describe-each-backend';
import { TestStore, openTestStore } from '../testing/test-store';
import { APPEND_EVENTS_SQL } from './append-events.sql';
import { PlanNode, openExplainer, parseAutoExplain, planProblems } from './plans.helpers';
import { appendFunctionInput } from './testing-fixtures/append-function-input';

const TENANT = 'grower';

// A batch as prepareAppend writes it: caller-supplied ids, so the idempotency probe runs.
const batch = (size: number, stream: string) =>
  appendFunctionInput(stream, size, (i) => ({ event_type: 'OrderNoted', data: { n: i }, metadata: { userId: `user-${i % 7}` } }));

const SEED_SQL = `
  INSERT INTO stored_domain_events
    (event_id, tenant_id, aggregate_type, aggregate_id, aggregate_version, event_type, event_version, occurred_at, data, metadata)
  SELECT gen_random_uuid(), $1, 'Order', 'seed-' || (g / 10), (g % 10) + 1, 'OrderNoted', 1, now(), jsonb_build_object('n', g),
         jsonb_build_object('userId', 'user-' || (g % 7))
    FROM generate_series(1, $2::int) AS g`;

// A pooled connection lives long: PL/pgSQL keeps the plans it made on it. A
// plan made while the table was nearly empty must not decide how a grown
// tenant is probed (decision 0014, "Plans cached while the table was small").
describeEachBackend(
  'lookups by tenant and event id on a connection that has seen the table empty',
  (mode) => {
    let t: TestStore;
    let connection: Client;
    const messages: string[] = [];

    beforeAll(async () => {
      t = await openTestStore(mode);
      connection = await openExplainer(t.testDatabase.databaseUrl!, messages, { json: true });
    });
    afterAll(async () => {
      await connection?.end();
      await t?.close();
    });

    // p_client_ids true: the ids are looked up first (a possible retry, decision 0029).
    const probePlans = async (events: string): Promise<PlanNode[]> => {
      messages.length = 0;
      await connection.query(APPEND_EVENTS_SQL, [TENANT, events, '{}', true]);
      return messages
        .map(parseAutoExplain)
        .filter((parsed) => parsed && /x\.event_id = e\.event_id\s+LIMIT 1\) s$/.test(parsed.queryText.trim()))
        .map((parsed) => parsed!.plan);
    };

    it('probes a grown tenant through the unique index with the full key, whatever was planned before it grew', async () => {
      // Single appends on an empty table: enough calls for PL/pgSQL to settle on a cached plan.
      for (let i = 0; i < 8; i++) await probePlans(batch(1, `early-${i}`));
      await t.database.query(SEED_SQL, [TENANT, 30_000], 'seed');
      const plans = await probePlans(batch(100, 'late'));
      expect(plans).toHaveLength(1);
      expect(
        planProblems(plans[0], {
          table: 'stored_domain_events',
          index: 'uq_stored_domain_events_event_id',
          keys: ['tenant_id', 'event_id'],
        }),
      ).toEqual([]);
    });
  },
  ['server'],
);
