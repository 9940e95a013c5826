import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { INestApplicationContext } from '@nestjs/common';
import { EventStoreDatabase } from '../database/event-store-database';
import { EventStoreService } from '../store/event-store.service';
import { eventually, openDeliveryApp } from '../subscriptions/testing-fixtures/delivery-app';
import { describeEachBackend } from '../testing/describe-each-backend';
import { TestDatabase, createTestDatabase } from '../testing/test-database';
import { NewDomainEvent } from '../types/stored-domain-event';
import { CreateStatusBoard1763900100000 } from './testing-fixtures/status-board.projection';

jest.setTimeout(180_000);

const ROOT = join(__dirname, '../../../..');
const SCRIPT = join(__dirname, 'testing-fixtures/projection-process.ts');
const TYPES = ['RequirementCreated', 'RequirementApproved', 'RequirementRejected', 'RequirementCommented'];
const MATCHING = Array.from(
  { length: 30 },
  (_, round) => Array.from({ length: 10 }, (_, i) => (round + i) % 4 !== 3).filter(Boolean).length,
).reduce((a, b) => a + b, 0);
const batch = (round: number): NewDomainEvent[] =>
  Array.from({ length: 10 }, (_, i) => ({
    aggregateType: 'Requirement',
    aggregateId: `req-${(round * 3 + i) % 25}`,
    eventType: TYPES[(round + i) % 4],
    data: { round, i },
  }));

interface Child {
  process: ChildProcess;
  id: string;
  output: string[];
}

function startChild(databaseUrl: string): Promise<Child> {
  const output: string[] = [];
  const child = fork(SCRIPT, [], {
    cwd: ROOT,
    execArgv: ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'],
    env: { ...process.env, DATABASE_URL: databaseUrl, TS_NODE_PROJECT: join(ROOT, 'tsconfig.json') },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  child.stdout!.on('data', (d) => output.push(String(d)));
  child.stderr!.on('data', (d) => output.push(String(d)));
  return new Promise((resolve, reject) => {
    child.once('message', (m: { ready: string }) => resolve({ process: child, id: m.ready, output }));
    child.once('exit', (code) => reject(new Error(`child exited with ${code}: ${output.join('')}`)));
  });
}

describeEachBackend(
  'projections across processes',
  () => {
    let db: TestDatabase;
    let app: INestApplicationContext;
    let children: Child[] = [];
    beforeAll(async () => {
      db = await createTestDatabase('server');
      // The parent writes only; it also runs the migrations once before the children start.
      app = await openDeliveryApp(db, [], { schemaMigrations: [CreateStatusBoard1763900100000], delivery: { enabled: false } });
    });
    afterAll(async () => {
      for (const c of children) if (c.process.exitCode === null && c.process.signalCode === null) c.process.kill('SIGKILL');
      await app?.close();
      await db?.drop();
    });

    it('runs in exactly one process at a time, fails over within seconds after SIGKILL, and ends equal to a rebuild', async () => {
      children = await Promise.all([startChild(db.databaseUrl!), startChild(db.databaseUrl!), startChild(db.databaseUrl!)]);
      const store = app.get(EventStoreService);
      const database = app.get(EventStoreDatabase);
      const ownerNow = async () =>
        (await database.query(`SELECT owner FROM event_store_subscriptions WHERE name = 'requirement-status-board'`, [], 'test'))[0]
          ?.owner ?? null;
      const applied = async () => Number((await database.query(`SELECT count(*)::int AS n FROM test_status_log`, [], 'test'))[0].n);

      for (let round = 0; round < 15; round++) await store.appendEvents(batch(round), 'acme');
      await eventually(async () => (await applied()) >= 50, 30_000, 'the first owner to apply events');
      const first = await ownerNow();
      const victim = children.find((c) => c.id === first)!;
      expect(victim).toBeDefined();
      victim.process.kill('SIGKILL');
      const killedAt = Date.now();
      for (let round = 15; round < 30; round++) await store.appendEvents(batch(round), 'acme');

      await eventually(async () => ![null, first].includes(await ownerNow()), 15_000, 'another process to take over');
      const takeoverMs = Date.now() - killedAt;
      expect(takeoverMs).toBeLessThan(8_000);
      await eventually(async () => (await applied()) === MATCHING, 30_000, 'every matching event to be applied');

      // One owner at a time: in event order, each owner's applications form one unbroken run.
      const log = await database.query(`SELECT owner FROM test_status_log ORDER BY test_status_log.global_position`, [], 'test');
      const runs = log
        .filter((r: { owner: string }, i: number) => i === 0 || r.owner !== log[i - 1].owner)
        .map((r: { owner: string }) => r.owner);
      expect(new Set(runs).size).toBe(runs.length);
      expect(runs[0]).toBe(first);
      expect(runs.length).toBeGreaterThanOrEqual(2);

      const snapshot = async () =>
        database.query(
          `SELECT tenant_id, aggregate_id, status, events, last_position::text FROM test_status_board ORDER BY 1, 2`,
          [],
          'test',
        );
      const live = await snapshot();
      const survivor = children.find((c) => c !== victim)!;
      const rebuilt = await new Promise<{ processed: number }>((resolve) => {
        survivor.process.once('message', (m: { rebuilt: { processed: number } }) => resolve(m.rebuilt));
        survivor.process.send({ cmd: 'rebuild' });
      });
      expect(rebuilt.processed).toBe(MATCHING);
      expect(await snapshot()).toEqual(live);
      expect(await applied()).toBe(MATCHING);

      for (const c of children.filter((c) => c !== victim)) {
        const exited = new Promise((r) => c.process.once('exit', r));
        c.process.send({ cmd: 'stop' });
        await exited;
      }
    });
  },
  ['server'],
);
