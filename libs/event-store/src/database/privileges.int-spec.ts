import { Client } from 'pg';
import { OperationNotAllowedError } from '../errors/operation-not-allowed.error';
import { SubscriptionManager } from '../subscriptions/subscription-manager';
import { describeEachBackend } from '../testing/describe-each-backend';
import { ProductionRolesDatabase, createProductionRolesDatabase } from '../testing/production-roles';
import { TestStore, openTestStore } from '../testing/test-store';
import { StoredDomainEvent } from '../types/stored-domain-event';

const DPO = { reason: 'GDPR art. 17', requestedBy: 'dpo-1' };
const TABLES = ['stored_domain_events', 'event_store_streams', 'event_store_snapshots', 'event_store_redactions'];

// Issue 7: every attempt below was allowed before migration 1764100000600.
// The store runs as a non-superuser runtime login (the migrations ran as a
// separate owner login); each attack runs over a real connection of that
// runtime login, in a transaction rolled back afterwards.
describeEachBackend(
  'privileges of the runtime login',
  (mode) => {
    let db: ProductionRolesDatabase;
    let t: TestStore;
    let client: Client;
    let acme: StoredDomainEvent[];
    beforeAll(async () => {
      db = await createProductionRolesDatabase();
      t = await openTestStore(mode, { databaseUrl: db.runtimeUrl, migrationsUrl: db.ownerUrl, rolePrefix: db.rolePrefix });
      acme = await t.store.appendEvents(
        [
          {
            aggregateType: 'Doc',
            aggregateId: 'd-1',
            eventType: 'DocWritten',
            data: { text: 'acme secret' },
            metadata: { userId: 'alice' },
          },
          { aggregateType: 'Doc', aggregateId: 'd-1', eventType: 'DocWritten', data: { text: 'more' } },
        ],
        'acme',
      );
      await t.store.appendEvent(
        { aggregateType: 'Doc', aggregateId: 'g-1', eventType: 'DocWritten', data: { text: 'globex secret' } },
        'globex',
      );
      await t.store.recordSnapshot('d-1', 'acme', { aggregateType: 'Doc', version: 2, state: { text: 'more' } });
      await t.store.redactEvent(acme[1].eventId, 'acme', DPO);
      client = new Client({ connectionString: db.runtimeUrl });
      await client.connect();
    });
    afterAll(async () => {
      await client?.end();
      await t?.close();
      await db?.drop();
    });

    /**
     * Every event through streamEvents, once all are below the transaction
     * horizon (waitForHorizon cannot tell: as this login it sees no rows).
     */
    async function readAll(): Promise<StoredDomainEvent[]> {
      for (const deadline = Date.now() + 20_000; ; await new Promise((resolve) => setTimeout(resolve, 20))) {
        const all: StoredDomainEvent[] = [];
        for await (const e of t.store.streamEvents({})) all.push(e);
        if (all.length === 3 || Date.now() > deadline) return all;
      }
    }

    /** Runs `sql` after `setup` in a transaction that is rolled back; resolves to the error message, or 'allowed'. */
    async function attempt(sql: string, setup: string[] = [], params: unknown[] = []): Promise<string> {
      await client.query('BEGIN');
      try {
        for (const statement of setup) await client.query(statement);
        await client.query(sql, params);
        return 'allowed';
      } catch (error) {
        return (error as Error).message;
      } finally {
        await client.query('ROLLBACK');
      }
    }
    const asTenant = (tenant: string) => [
      `SELECT set_config('role', '${db.roles.tenant}', true), set_config('app.tenant_id', '${tenant}', true)`,
    ];
    const count = async (sql: string, setup: string[] = []): Promise<number> => {
      await client.query('BEGIN');
      try {
        for (const statement of setup) await client.query(statement);
        return Number((await client.query(sql)).rows[0].n);
      } finally {
        await client.query('ROLLBACK');
      }
    };

    it('runs the store under the runtime login: a non-superuser that owns nothing', async () => {
      const { rows } = await client.query(`SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user`);
      expect(rows[0]).toEqual({ rolsuper: false, rolbypassrls: false });
      const { rows: owners } = await client.query(`SELECT DISTINCT tableowner FROM pg_tables WHERE tablename = ANY($1)`, [TABLES]);
      expect(owners).toEqual([{ tableowner: `${db.rolePrefix}_owner` }]);
      expect((await t.store.getEventsForAggregate('d-1', 'acme')).map((e) => e.isRedacted)).toEqual([false, true]);
      // The cross-tenant read (event_store_read_all_batch) is the runtime login's.
      // acme: two events and the marker event announcing the redaction to read models.
      expect((await readAll()).map((e) => e.tenantId).sort()).toEqual(['acme', 'acme', 'acme', 'globex']);
    });

    it('delivers every tenant to a subscriber under the runtime login (checkpoints, lag)', async () => {
      const manager = t.app.get(SubscriptionManager);
      const seen: string[] = [];
      const sub = await manager.subscribe({ name: 'runtime-all' }, (e) => void seen.push(e.tenantId));
      await manager.waitUntilCaughtUp('runtime-all');
      expect(seen.sort()).toEqual(['acme', 'acme', 'globex']);
      expect((await manager.getLag('runtime-all')).eventsBehind).toBe(0);
      await sub.stop();
    });

    it('sees zero rows of any tenant outside a tenant context, with no SET ROLE', async () => {
      for (const table of TABLES) expect(await count(`SELECT count(*) AS n FROM ${table}`)).toBe(0);
      // Two events and the marker of the redaction.
      expect(await count('SELECT count(*) AS n FROM stored_domain_events', asTenant('acme'))).toBe(3);
    });

    it('refuses switching to the cross-tenant, writer or old system role', async () => {
      for (const role of [db.roles.reader, db.roles.writer, 'event_store_system']) {
        expect(await attempt(`SET LOCAL ROLE ${role}`)).toMatch(/permission denied/);
        expect(await attempt(`SET LOCAL ROLE ${role}`, asTenant('acme'))).toMatch(/permission denied/);
      }
    });

    it('refuses the cross-tenant read to the tenant role and to event_store_read_batch(NULL, …)', async () => {
      expect(await attempt(`SELECT * FROM event_store_read_batch(NULL, '0'::xid8, 0, 100, NULL)`)).toMatch(/tenant is required/);
      expect(await attempt(`SELECT * FROM event_store_read_batch(NULL, '0'::xid8, 0, 100, NULL)`, asTenant('acme'))).toMatch(
        /permission denied/,
      );
      for (const fn of [
        `event_store_read_all_batch('0'::xid8, 0, 100, NULL)`,
        'event_store_head_checkpoint()',
        `event_store_reader_lag('0'::xid8, 0, NULL, NULL)`,
        'event_store_transaction_horizon()',
      ]) {
        expect(await attempt(`SELECT * FROM ${fn}`, asTenant('acme'))).toMatch(/permission denied/);
      }
    });

    it('ignores the old redaction and purge switches: no rewrite or delete of events', async () => {
      const switches = [`SELECT set_config('event_store.redaction', 'on', true), set_config('event_store.purge', 'on', true)`];
      for (const setup of [switches, [...switches, ...asTenant('acme')]]) {
        expect(
          await attempt(`UPDATE stored_domain_events SET data = '{"text":"forged"}', metadata = '{}' WHERE tenant_id = 'acme'`, setup),
        ).toMatch(/permission denied/);
        expect(await attempt(`DELETE FROM stored_domain_events WHERE tenant_id = 'acme'`, setup)).toMatch(/permission denied/);
        expect(await attempt(`TRUNCATE stored_domain_events`, setup)).toMatch(/permission denied/);
      }
    });

    it('refuses direct writes of events, stream versions, snapshots and the redaction log', async () => {
      const tenant = asTenant('acme');
      const refused = [
        `INSERT INTO stored_domain_events (event_id, tenant_id, aggregate_type, aggregate_id, aggregate_version, event_type, occurred_at, data)
         VALUES (gen_random_uuid(), 'acme', 'Doc', 'd-1', 3, 'Forged', now(), '{}')`,
        `UPDATE event_store_streams SET version = 0 WHERE tenant_id = 'acme'`,
        `INSERT INTO event_store_streams (tenant_id, aggregate_id, aggregate_type, version) VALUES ('acme', 'd-9', 'Doc', 5)`,
        `DELETE FROM event_store_streams WHERE tenant_id = 'acme'`,
        `DELETE FROM event_store_snapshots WHERE tenant_id = 'acme'`,
        `DELETE FROM event_store_redactions WHERE tenant_id = 'acme'`,
        `UPDATE event_store_redactions SET reason = 'nothing happened' WHERE tenant_id = 'acme'`,
        `INSERT INTO event_store_redactions (tenant_id, event_id, global_position, reason, requested_by) VALUES ('acme', gen_random_uuid(), 1, 'r', 'x')`,
      ];
      for (const sql of refused) {
        expect(await attempt(sql, tenant)).toMatch(/permission denied/);
        expect(await attempt(sql)).toMatch(/permission denied/);
      }
    });

    it('refuses rewrites through the functions for another tenant or outside a tenant context, and the purge without its role', async () => {
      const redact = `SELECT * FROM event_store_redact('globex', ARRAY(SELECT global_position FROM stored_domain_events), 'r', 'x', '{}')`;
      expect(await attempt(redact, asTenant('acme'))).toMatch(/not the tenant of this transaction/);
      expect(await attempt(redact)).toMatch(/not the tenant of this transaction/);
      expect(await attempt(`SELECT event_store_purge_tenant('acme', 1000)`, [`SELECT set_config('app.tenant_id', 'acme', true)`])).toMatch(
        /permission denied/,
      );
      expect(await attempt(`SELECT event_store_purge_tenant('acme', 1000)`, asTenant('acme'))).toMatch(/permission denied/);
      await expect(t.store.clearTenantEvents('acme')).rejects.toBeInstanceOf(OperationNotAllowedError);
    });

    it('refuses changing the schema: policies, triggers and function bodies belong to the owner', async () => {
      for (const sql of [
        `ALTER TABLE stored_domain_events NO FORCE ROW LEVEL SECURITY`,
        `DROP POLICY tenant_isolation ON stored_domain_events`,
        `ALTER TABLE stored_domain_events DISABLE TRIGGER trg_events_append_only`,
        `CREATE OR REPLACE FUNCTION event_store_require_tenant(p_tenant_id text) RETURNS void LANGUAGE sql AS 'SELECT'`,
        `ALTER FUNCTION event_store_redact(text,bigint[],text,text,text[]) SECURITY INVOKER`,
        `CREATE FUNCTION stored_domain_events_forged() RETURNS void LANGUAGE sql AS 'SELECT'`,
      ]) {
        expect(await attempt(sql)).toMatch(/must be owner|permission denied/);
      }
    });

    it('left every row as it was', async () => {
      expect(await count('SELECT count(*) AS n FROM stored_domain_events', asTenant('acme'))).toBe(3);
      expect(await count('SELECT count(*) AS n FROM stored_domain_events', asTenant('globex'))).toBe(1);
      expect(await count('SELECT max(version) AS n FROM event_store_streams', asTenant('acme'))).toBe(2);
      expect(await count('SELECT count(*) AS n FROM event_store_redactions', asTenant('acme'))).toBe(1);
      expect((await t.store.getEventById('acme', acme[0].eventId)).data).toEqual({ text: 'acme secret' });
    });

    it('purges once a DBA grants the purge role, keeping the append-only redaction log', async () => {
      await db.grantPurgeToRuntime();
      expect(await t.store.clearTenantEvents('acme')).toEqual({ deletedEvents: 3 });
      expect(await count('SELECT count(*) AS n FROM stored_domain_events', asTenant('acme'))).toBe(0);
      expect(await count('SELECT count(*) AS n FROM event_store_redactions', asTenant('acme'))).toBe(1);
      expect(await count('SELECT count(*) AS n FROM stored_domain_events', asTenant('globex'))).toBe(1);
    });
  },
  ['server'],
);
