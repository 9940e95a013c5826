import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { describeEachBackend } from '../testing/describe-each-backend';
import { DatabaseMode } from '../testing/test-database';
import { TestStore, openTestStore } from '../testing/test-store';
import { waitForHorizon } from '../testing/wait-for-horizon';
import { IntendedAccess, PlanNode, openExplainer, parseAutoExplain, planProblems } from './plans.helpers';
import { EventQueryFilter } from '../types/read-options';
import { preparePage } from './query-events';
import { KeysetCursor, buildQueryEventsQuery } from './query-events.sql';
import { BY_ID_SQL } from './read-events';
import { READ_STREAM_SQL, STREAM_EXISTS_SQL } from './read-stream';
import { COUNTS_SQL, RANGE_SQL } from './statistics';
import { STREAM_ALL_BATCH_SQL, STREAM_BATCH_SETTINGS, STREAM_BATCH_SQL, streamBatchStatement } from './stream-events.sql';
import { APPEND_EVENTS_SQL, APPEND_GROUP_SQL } from './append-events.sql';

// Rows as the store writes them: streams of 10 events, three aggregate types, five event types,
// user and correlation ids in the metadata. Seeded by the superuser.
const SEED_EVENTS_SQL = `
  INSERT INTO stored_domain_events
    (event_id, tenant_id, aggregate_type, aggregate_id, aggregate_version, event_type, event_version, occurred_at, data, metadata)
  SELECT gen_random_uuid(), $1, (ARRAY['Order', 'Invoice', 'Shipment'])[(g / 10) % 3 + 1], $2 || '-' || (g / 10), (g % 10) + 1, 'Seeded' || (g % 5), 1,
         now() - g * interval '1 second', jsonb_build_object('n', g),
         jsonb_build_object('userId', 'user-' || (g % 50), 'correlationId', gen_random_uuid()::text)
    FROM generate_series($3::int, $4::int) AS g`;
const SEED_STREAMS_SQL = `
  INSERT INTO event_store_streams (tenant_id, aggregate_id, aggregate_type, version)
  SELECT $1, $2 || '-' || s, (ARRAY['Order', 'Invoice', 'Shipment'])[s % 3 + 1], 10 FROM generate_series(0, $3::int / 10 - 1) AS s`;

const EVENTS = 'stored_domain_events';
const via = (index: string | RegExp, ...keys: string[]): IntendedAccess => ({ table: EVENTS, index, keys: ['tenant_id', ...keys] });

/** A hot statement run directly in a tenant transaction, as the store runs it. */
interface DirectStatement {
  name: string;
  sql: (tenant: string, cursor: KeysetCursor) => { text: string; values: unknown[] };
  intended: IntendedAccess[];
  /** A keyset page's filter: the page's transaction is prepared as queryEvents prepares it. */
  page?: EventQueryFilter;
  /** Settings the store gives the statement's transaction (EventStoreDatabase.queryInTenant). */
  settings?: Record<string, string>;
}

// A cursor in the middle of the tenant's log, as a client paging through it holds.
const MIDDLE_CURSOR_SQL = `
  SELECT transaction_id::text AS "transactionId", global_position::text AS "globalPosition" FROM stored_domain_events
   WHERE tenant_id = $1 ORDER BY transaction_id, global_position
  OFFSET (SELECT count(*) / 2 FROM stored_domain_events WHERE tenant_id = $1) LIMIT 1`;

const DIRECT: DirectStatement[] = [
  {
    name: 'stream read',
    sql: (t) => ({ text: READ_STREAM_SQL, values: [t, `${t}-7`, 1, 2_147_483_647] }),
    intended: [via('uq_stored_domain_events_stream_version', 'aggregate_id')],
  },
  {
    name: 'streamEvents batch of one tenant (pipelined tenant transaction)',
    sql: (t) => ({ text: streamBatchStatement(false), values: ['0', '0', 1000, t] }),
    settings: STREAM_BATCH_SETTINGS,
    intended: [via('ix_events_tenant_tx_order', 'transaction_id')],
  },
  {
    name: 'streamEvents batch of one tenant by event type (pipelined tenant transaction)',
    sql: (t) => ({ text: streamBatchStatement(true), values: ['0', '0', 1000, t, ['Seeded3']] }),
    settings: STREAM_BATCH_SETTINGS,
    intended: [via('ix_events_tenant_tx_order', 'transaction_id')],
  },
  {
    name: 'streamEvents batch of one tenant below a horizon read earlier (pipelined tenant transaction)',
    sql: (t) => ({ text: streamBatchStatement(false, 'given'), values: ['0', '0', 1000, t, String(2 ** 40)] }),
    settings: STREAM_BATCH_SETTINGS,
    intended: [via('ix_events_tenant_tx_order', 'transaction_id')],
  },
  {
    name: 'streamEvents batch of one tenant by event type below a horizon read earlier (pipelined tenant transaction)',
    sql: (t) => ({ text: streamBatchStatement(true, 'given'), values: ['0', '0', 1000, t, ['Seeded3'], String(2 ** 40)] }),
    settings: STREAM_BATCH_SETTINGS,
    intended: [via('ix_events_tenant_tx_order', 'transaction_id')],
  },
  {
    name: 'stream head',
    sql: (t) => ({ text: STREAM_EXISTS_SQL, values: [t, `${t}-7`] }),
    intended: [{ table: 'event_store_streams', index: 'pk_event_store_streams', keys: ['tenant_id', 'aggregate_id'] }],
  },
  {
    name: 'event by id',
    sql: (t) => ({ text: BY_ID_SQL, values: [t, randomUUID()] }),
    intended: [via('uq_stored_domain_events_event_id', 'event_id')],
  },
  {
    name: 'keyset page',
    page: {},
    sql: (t) => buildQueryEventsQuery(t, {}, null, 100, 'asc'),
    intended: [via('ix_events_tenant_tx_order')],
  },
  {
    name: 'keyset page of 1000',
    page: {},
    sql: (t) => buildQueryEventsQuery(t, {}, null, 1000, 'asc'),
    intended: [via('ix_events_tenant_tx_order')],
  },
  {
    name: 'keyset page after a cursor, newest first',
    page: {},
    sql: (t, cursor) => buildQueryEventsQuery(t, {}, cursor, 100, 'desc'),
    intended: [via('ix_events_tenant_tx_order', 'transaction_id')],
  },
  // getEventsByType: one type, 1000 events
  {
    name: 'keyset page by event type',
    page: { eventTypes: ['Seeded3'] },
    sql: (t) => buildQueryEventsQuery(t, { eventTypes: ['Seeded3'] }, null, 1000, 'asc'),
    intended: [via('ix_events_tenant_type', 'event_type')],
  },
  {
    name: 'keyset page by aggregate type',
    page: { aggregateType: 'Order' },
    sql: (t) => buildQueryEventsQuery(t, { aggregateType: 'Order' }, null, 1000, 'asc'),
    intended: [via('ix_events_tenant_aggregate_type', 'aggregate_type')],
  },
  {
    name: 'statistics: counts',
    sql: (t) => ({ text: COUNTS_SQL, values: [t] }),
    intended: [via(/^(ix_events_tenant_|uq_stored_domain_events_)/)],
  },
  {
    name: 'statistics: first and last event',
    sql: (t) => ({ text: RANGE_SQL, values: [t] }),
    intended: [via('ix_events_tenant_occurred')],
  },
];

/** A statement inside one of the store's functions, seen through auto_explain (server only). */
interface FunctionStatement {
  name: string;
  call: (tenant: string) => { text: string; values: unknown[] };
  /** Picks the inner statement out of the function's statements by its text. */
  inner: RegExp;
  intended: IntendedAccess[];
}

// One event for an existing stream of type Order, in the form prepareAppend sends.
const appendJson = (tenant: string) =>
  JSON.stringify([
    {
      i: 0,
      k: 1,
      event_id: randomUUID(),
      aggregate_type: 'Order',
      aggregate_id: `${tenant}-6`,
      event_type: 'Probed',
      event_version: 1,
      occurred_at: new Date().toISOString(),
      data: {},
      metadata: {},
    },
  ]);

const IN_FUNCTIONS: FunctionStatement[] = [
  {
    name: 'append: idempotency probe',
    call: (t) => ({ text: APPEND_EVENTS_SQL, values: [t, appendJson(t), '{}', true] }),
    inner: /x\.event_id = e\.event_id\s+LIMIT 1\) s$/,
    intended: [via('uq_stored_domain_events_event_id', 'event_id')],
  },
  {
    name: 'append: expected-version check (stream upsert)',
    call: (t) => ({ text: APPEND_EVENTS_SQL, values: [t, appendJson(t), '{}', true] }),
    inner: /INSERT INTO event_store_streams/,
    intended: [{ table: 'event_store_streams', index: 'pk_event_store_streams', keys: [] }],
  },
  {
    name: 'append group: stream lock',
    call: (t) => ({
      text: APPEND_GROUP_SQL,
      values: [`[{"tenant":${JSON.stringify(t)},"events":${appendJson(t)},"expected":{},"clientIds":false}]`],
    }),
    inner: /FOR UPDATE\) s$/,
    intended: [{ table: 'event_store_streams', index: 'pk_event_store_streams', keys: ['tenant_id', 'aggregate_id'] }],
  },
  {
    name: 'streamEvents batch (one tenant)',
    call: (t) => ({ text: STREAM_BATCH_SQL, values: ['0', '0', 1000, null, t] }),
    inner: /^SELECT e\.\* FROM stored_domain_events/,
    intended: [via('ix_events_tenant_tx_order', 'transaction_id')],
  },
  {
    name: 'subscription catch-up batch (all tenants)',
    call: () => ({ text: STREAM_ALL_BATCH_SQL, values: ['0', '0', 1000, null] }),
    inner: /^SELECT e\.\* FROM stored_domain_events/,
    intended: [{ table: EVENTS, index: 'ix_events_tx_order', keys: ['transaction_id'] }],
  },
];

/** The three states of the statistics a plan must not depend on. */
const STATES = [
  { name: 'no statistics at all (bulk-loaded, never analysed)', tenants: ['big', 'small'] },
  { name: 'fresh statistics', tenants: ['big', 'small'] },
  { name: 'a tenant the statistics do not know (new, or grown since ANALYZE)', tenants: ['newcomer', 'small'] },
];

describeEachBackend('plans of hot statements stay on their index whatever the statistics say', (mode: DatabaseMode) => {
  let t: TestStore;
  let explainer: Client | undefined;
  const messages: string[] = [];
  const sizes = mode === 'server' ? { big: 60_000, small: 2_000, grown: 20_000 } : { big: 20_000, small: 1_000, grown: 5_000 };
  // In chunks, one transaction each: a real log has many transaction ids.
  const seed = async (tenant: string, count: number, prefix = tenant) => {
    for (let first = 0; first < count; first += 2000)
      await t.database.query(SEED_EVENTS_SQL, [tenant, prefix, first, Math.min(count, first + 2000) - 1], 'seed');
    await t.database.query(SEED_STREAMS_SQL, [tenant, prefix, count], 'seed');
  };

  beforeAll(async () => {
    t = await openTestStore(mode);
    for (const table of [EVENTS, 'event_store_streams'])
      await t.database.query(`ALTER TABLE ${table} SET (autovacuum_enabled = false)`, [], 'setup');
    await seed('big', sizes.big);
    await seed('small', sizes.small);
    if (mode === 'server') {
      // auto_explain reports the plans of the statements inside the store's functions.
      explainer = await openExplainer(t.testDatabase.databaseUrl!, messages, { json: true });
    }
  }, 120_000);
  afterAll(async () => {
    await explainer?.end();
    await t?.close();
  });

  const explainDirect = (statement: DirectStatement, tenant: string): Promise<PlanNode> =>
    t.database.runInTenant(tenant, async (q) => {
      const [cursor] = (await q.query(MIDDLE_CURSOR_SQL, [tenant])) as KeysetCursor[];
      if (statement.page) await preparePage(q, statement.page);
      for (const [name, value] of Object.entries(statement.settings ?? {})) await q.query(`SELECT set_config($1, $2, true)`, [name, value]);
      const { text, values } = statement.sql(tenant, cursor);
      const [row] = (await q.query(`EXPLAIN (FORMAT JSON) ${text}`, values)) as { 'QUERY PLAN': [{ Plan: PlanNode }] }[];
      return row['QUERY PLAN'][0].Plan;
    });

  // Runs the function several times on one long-lived connection (plpgsql
  // switches to a cached generic plan after five calls) and returns every
  // plan the inner statement got; nothing is kept.
  const explainInFunction = async (statement: FunctionStatement, tenant: string): Promise<PlanNode[]> => {
    const plans: PlanNode[] = [];
    for (let i = 0; i < 7; i++) {
      messages.length = 0;
      const { text, values } = statement.call(tenant);
      await explainer!.query('BEGIN');
      try {
        await explainer!.query(text, values);
      } finally {
        await explainer!.query('ROLLBACK');
      }
      for (const message of messages) {
        const parsed = parseAutoExplain(message);
        if (parsed && statement.inner.test(parsed.queryText.trim())) plans.push(parsed.plan);
      }
    }
    return plans;
  };

  STATES.forEach((state, s) => {
    describe(`with ${state.name}`, () => {
      beforeAll(async () => {
        if (s === 1) {
          await t.database.query(`ANALYZE ${EVENTS}`, [], 'analyze');
          await t.database.query('ANALYZE event_store_streams', [], 'analyze');
        }
        if (s === 2) {
          await seed('newcomer', sizes.grown);
          await seed('small', sizes.grown, 'small-more');
        }
        // The horizon is cluster-wide: while a transaction of another test
        // file is open, it is below every seeded row, every read is priced at
        // nothing and any index looks right. The states are about statistics.
        await waitForHorizon(t.database, 100_000);
      }, 120_000);

      for (const tenant of state.tenants) {
        it.each(DIRECT.map((d) => [d.name, d] as const))(
          `keeps %s of tenant "${tenant}" on its index with the full key`,
          async (_name, statement) => {
            const plan = await explainDirect(statement, tenant);
            expect(statement.intended.flatMap((intended) => planProblems(plan, intended))).toEqual([]);
          },
        );

        if (mode === 'server') {
          it.each(IN_FUNCTIONS.map((f) => [f.name, f] as const))(
            `keeps %s of tenant "${tenant}" on its index with the full key`,
            async (_name, statement) => {
              const plans = await explainInFunction(statement, tenant);
              expect(plans.length).toBeGreaterThan(0);
              expect(plans.flatMap((plan) => statement.intended.flatMap((intended) => planProblems(plan, intended)))).toEqual([]);
            },
          );
        }
      }
    });
  });
});
