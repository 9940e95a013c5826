import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { EmbeddedPostgres } from '@nest-event-store/core';
import {
  ProductionRolesDatabase,
  TestDatabase,
  createProductionRolesDatabase,
  createTestDatabase,
  describeEachBackend,
} from '@nest-event-store/core/testing';
import { CLI_NODE_ARGS, ROOT, cliEnv, finished, requirementLines, runCli, startCli, waitForOutput } from './helpers/cli';

const BOARD = 'requirement-status-board';
const SEEDED = 3000;

async function sql<T = Record<string, unknown>>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

const json = <T = any>(text: string): T => JSON.parse(text) as T;

// Every command is a process that boots the app (about 5 s on an idle
// machine, two or three times that beside the rest of the suite), and some
// tests run eight of them: the default 60 s is too tight for those.
jest.setTimeout(240_000);

// The operator's command line, driven as real processes against a real database.
describeEachBackend(
  'npm run cli',
  () => {
    let db: TestDatabase;
    let copy: TestDatabase;
    let url: string;
    const cli = (args: string[], input = '', extra: Record<string, string> = {}) => runCli(args, cliEnv(db, extra), input);
    const board = async () => (await sql<{ n: number }>(url, `SELECT count(*)::int AS n FROM requirement_status_board`))[0].n;

    beforeAll(async () => {
      db = await createTestDatabase('server');
      copy = await createTestDatabase('server');
      url = db.databaseUrl!;
    });
    afterAll(async () => {
      await db?.drop();
      await copy?.drop();
    });

    it('answers --help and bad usage without touching the database', async () => {
      const help = await cli(['--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/projections[\s\S]*dead-letters[\s\S]*doctor/);
      const unknown = await cli(['no-such-command']);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain("unknown command 'no-such-command'");
    });

    it('imports exported events once, however often the file is imported', async () => {
      const seed = requirementLines('acme', SEEDED);
      const first = await cli(['events', 'import', '--json'], seed);
      expect(first.code).toBe(0);
      expect(json(first.stdout)).toEqual({ imported: SEEDED, skipped: 0 });
      expect(first.stderr).toMatch(/import: \d+\/\d+ events/);
      const again = await cli(['events', 'import', '--json'], seed);
      expect(json(again.stdout)).toEqual({ imported: 0, skipped: SEEDED });
      const bad = await cli(['events', 'import'], '{"not json\n');
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain('line 1: not JSON');
    });

    it('lists projections with checkpoint, lag and state', async () => {
      const listed = await cli(['projections', 'list', '--json']);
      expect(listed.code).toBe(0);
      expect(json<any[]>(listed.stdout).find((p) => p.name === BOARD)).toMatchObject({ checkpoint: null, lag: SEEDED, state: 'never run' });
      const human = await cli(['projections', 'list']);
      expect(human.stdout).toMatch(new RegExp(`${BOARD}\\s+-\\s+${SEEDED}\\s+never run`));
    });

    it('stops a rebuild on Ctrl-C after the chunk in hand, and the next run resumes from there', async () => {
      const child = startCli(['projections', 'rebuild', BOARD, '--json'], cliEnv(db));
      const done = finished(child);
      await waitForOutput(child.stderr!, /rebuild requirement-status-board: [1-9]\d*\/\d+ events/);
      child.kill('SIGINT');
      const interrupted = await done;
      expect(interrupted.stderr).toContain('Interrupted: finishing the chunk in hand');
      expect(interrupted.code).toBe(130);
      const stopped = json(interrupted.stdout);
      expect(stopped).toMatchObject({ name: BOARD, completed: false, resumed: false });
      expect(stopped.processed).toBeGreaterThan(0);
      expect(stopped.processed).toBeLessThan(SEEDED);
      expect(await board()).toBe(stopped.processed);

      const listed = json<any[]>((await cli(['projections', 'list', '--json'])).stdout).find((p) => p.name === BOARD);
      expect(listed).toMatchObject({ lag: SEEDED - stopped.processed, owner: null });
      expect(listed.state).toMatch(/^rebuild interrupted/);

      const resumed = await cli(['projections', 'rebuild', BOARD, '--json']);
      expect(resumed.code).toBe(0);
      expect(json(resumed.stdout)).toMatchObject({ completed: true, resumed: true, processed: SEEDED - stopped.processed });
      expect(await board()).toBe(SEEDED);
      const after = json<any[]>((await cli(['projections', 'list', '--json'])).stdout).find((p) => p.name === BOARD);
      expect(after).toMatchObject({ lag: 0, state: 'stopped', rebuildStartedAt: null });
    });

    it('refuses a rebuild while another process holds the projection, naming it, unless told to take over', async () => {
      await sql(
        url,
        `UPDATE event_store_subscriptions SET owner = 'other-host:4242:cafe', lease_until = now() + interval '1 hour' WHERE name = $1`,
        [BOARD],
      );
      const refused = await cli(['projections', 'rebuild', BOARD]);
      expect(refused.code).toBe(3);
      expect(refused.stderr).toContain('other-host:4242:cafe');
      const listed = await cli(['subscriptions', 'list', '--json']);
      expect(json<any[]>(listed.stdout).find((s) => s.name === BOARD)).toMatchObject({
        kind: 'projection',
        owner: 'other-host:4242:cafe',
        lag: 0,
      });
      const taken = await cli(['projections', 'rebuild', BOARD, '--take-over', '--json']);
      expect(taken.code).toBe(0);
      expect(json(taken.stdout)).toMatchObject({ completed: true, resumed: false, processed: SEEDED });
    });

    it('draws a live progress bar on a terminal', async () => {
      const command = ['node', ...CLI_NODE_ARGS, 'projections', 'rebuild', BOARD].join(' ');
      const { stdout } = await promisify(execFile)('/usr/bin/script', ['-qec', command, '/dev/null'], {
        cwd: ROOT,
        env: cliEnv(db),
        maxBuffer: 64 * 1024 * 1024,
      });
      expect(stdout).toContain('\u001b[1G'); // redrawn in place (cursor to column 1)
      expect(stdout).toMatch(/rebuild requirement-status-board \[[\u2588\u2591]+\] 100% \| 3000\/3000 events \| \d+\/s \| ETA 0s/);
      expect(stdout).toContain(`Rebuilt '${BOARD}': ${SEEDED} event(s)`);
    });

    it('stops cleanly on a Ctrl-C typed at a terminal under npm run, and the next run resumes', async () => {
      const child = spawn('/usr/bin/script', ['-qec', `npm run --silent cli -- projections rebuild ${BOARD} --restart`, '/dev/null'], {
        cwd: ROOT,
        env: cliEnv(db),
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      const done = finished(child);
      await waitForOutput(child.stdout!, /\| [1-9]\d*\/3000 events/);
      child.stdin!.write('\u0003'); // the terminal turns it into SIGINT for the foreground group: npm, sh and the command
      const run = await done;
      expect(run.code).toBe(130);
      expect(run.stdout).toContain(`Rebuild of '${BOARD}' interrupted after`);
      const resumed = await cli(['projections', 'rebuild', BOARD, '--json']);
      expect(json(resumed.stdout)).toMatchObject({ completed: true, resumed: true });
      expect(await board()).toBe(SEEDED);
    });

    it('lists, retries and discards dead letters by subscription and by id', async () => {
      const park = async (n: number) => {
        const rows = await sql<{ id: string }>(
          url,
          `INSERT INTO event_store_dead_letters (subscription_name, global_position, transaction_id, event_id, tenant_id, event_type, error, attempts)
           SELECT $1, global_position, transaction_id, event_id, tenant_id, event_type, 'Error: boom', 5
             FROM stored_domain_events ORDER BY global_position LIMIT $2
           RETURNING id::text`,
          [BOARD, n],
        );
        return rows.map((r) => r.id);
      };
      const [first, second, third] = await park(3);
      const listed = await cli(['dead-letters', 'list', '--subscription', BOARD, '--json']);
      expect(json<any[]>(listed.stdout).map((d) => d.id)).toEqual([first, second, third]);
      expect(json<any[]>((await cli(['subscriptions', 'list', '--json'])).stdout).find((s) => s.name === BOARD)).toMatchObject({
        deadLetters: 3,
        lastError: 'Error: boom',
      });

      const retried = await cli(['dead-letters', 'retry', '--id', first, '--json']);
      expect(retried.code).toBe(0);
      expect(json(retried.stdout)).toEqual({ succeeded: 1, failed: 0, missing: [] });
      const discarded = await cli(['dead-letters', 'discard', '--subscription', BOARD, '--json']);
      expect(json(discarded.stdout)).toEqual({ discarded: [second, third], missing: [] });
      expect(json((await cli(['dead-letters', 'list', '--json'])).stdout)).toEqual([]);

      const missing = await cli(['dead-letters', 'discard', '--id', first]);
      expect(missing.code).toBe(1);
      expect(missing.stdout).toContain(`not found: ${first}`);
      const unnamed = await cli(['dead-letters', 'retry']);
      expect(unnamed.code).toBe(2);
    });

    it('erases a subject with progress, and an export imported into an empty database reads back identical', async () => {
      const erased = await cli([
        'gdpr',
        'erase',
        '--tenant',
        'acme',
        '--subject',
        'subject-3',
        '--reason',
        'request 42',
        '--chunk-size',
        '50',
        '--json',
      ]);
      expect(erased.code).toBe(0);
      expect(json(erased.stdout)).toMatchObject({ tenantId: 'acme', subjectId: 'subject-3', redactedEvents: SEEDED / 10 });
      expect(erased.stderr).toMatch(/erase subject-3: 300\/300 events/);

      const exported = await cli(['events', 'export', '--tenant', 'acme']);
      expect(exported.code).toBe(0);
      const lines = exported.stdout.trim().split('\n');
      expect(lines.length).toBeGreaterThan(SEEDED); // and the redaction markers
      expect(lines.filter((l) => json(l).isRedacted)).toHaveLength(SEEDED / 10);

      const copyEnv = cliEnv(copy);
      const imported = await runCli(['events', 'import', '--json'], copyEnv, exported.stdout);
      expect(json(imported.stdout)).toEqual({ imported: lines.length, skipped: 0 });
      const reread = await runCli(['events', 'export', '--tenant', 'acme'], copyEnv);
      expect(reread.stdout).toBe(exported.stdout);
      const twice = await runCli(['events', 'import', '--json'], copyEnv, exported.stdout);
      expect(json(twice.stdout)).toEqual({ imported: 0, skipped: lines.length });

      const window = await cli(['events', 'export', '--tenant', 'acme', '--from', '2026-01-01T00:00:10Z', '--to', '2026-01-01T00:00:20Z']);
      expect(window.stdout.trim().split('\n')).toHaveLength(10);
    });

    it('follows new events of a tenant like tail -f', async () => {
      const child = startCli(['events', 'tail', '--tenant', 'acme', '--json', '--poll', '100'], cliEnv(db));
      const done = finished(child);
      await waitForOutput(child.stderr!, /Following tenant acme/);
      // Listening before the append: the lines may come while the import process is still closing.
      const followed = waitForOutput(child.stdout!, /req-100001/);
      const appended = await cli(['events', 'import'], requirementLines('acme', 2, 100_000) + requirementLines('globex', 1, 200_000));
      expect(appended.code).toBe(0);
      await followed;
      child.kill('SIGINT');
      const tail = await done;
      expect(tail.code).toBe(0);
      const ids = tail.stdout
        .trim()
        .split('\n')
        .map((l) => json(l).aggregateId);
      expect(ids).toEqual(['req-100000', 'req-100001']);
    });

    it('doctor passes on a healthy database and names a stuck transaction with its pid and age', async () => {
      const healthy = await cli(['doctor', '--json']);
      expect(healthy.code).toBe(0);
      const report = json(healthy.stdout);
      expect(report.ok).toBe(true);
      expect(report.checks.map((c: { name: string }) => c.name)).toEqual([
        'schema',
        'roles',
        'grants',
        'rls',
        'transaction-horizon',
        'stuck-transactions',
      ]);
      expect(report.checks.filter((c: { status: string }) => c.status === 'fail')).toEqual([]);

      const holder = new Client({ connectionString: url });
      await holder.connect();
      try {
        await holder.query('BEGIN');
        const [{ pid }] = (await holder.query('SELECT pg_backend_pid() AS pid, txid_current()')).rows;
        await new Promise((r) => setTimeout(r, 1500));
        const stuck = await cli(['doctor'], '', { HORIZON_WARNING_SECONDS: '1' });
        expect(stuck.code).toBe(1);
        expect(stuck.stdout).toMatch(
          new RegExp(`\\[FAIL\\] stuck-transactions: readers are held back by transaction \\d+: pid ${pid} open for \\d+s`),
        );
        expect(stuck.stdout).toContain(`SELECT pg_terminate_backend(${pid})`);
      } finally {
        await holder.end();
      }
    });
  },
  ['server'],
);

describeEachBackend(
  'npm run cli doctor with production roles',
  () => {
    let db: ProductionRolesDatabase;
    beforeAll(async () => {
      db = await createProductionRolesDatabase();
    });
    afterAll(() => db?.drop());

    it('reports a pending schema, then finds nothing to fix once the app migrated as the owner', async () => {
      const env = cliEnv({ databaseUrl: db.runtimeUrl }, { MIGRATIONS_DATABASE_URL: db.ownerUrl, EVENT_STORE_ROLE_PREFIX: db.rolePrefix });
      const fresh = await runCli(['doctor', '--json'], env);
      expect(fresh.code).toBe(1);
      expect(json(fresh.stdout).checks[0]).toMatchObject({ name: 'schema', status: 'fail' });

      expect((await runCli(['subscriptions', 'list'], env)).code).toBe(0); // boots like the app: migrates
      const doctor = await runCli(['doctor', '--json'], env);
      expect(doctor.code).toBe(0);
      const checks = json(doctor.stdout).checks as { name: string; status: string; detail: string }[];
      expect(checks.map((c) => [c.name, c.status])).toEqual([
        ['schema', 'ok'],
        ['roles', 'ok'],
        ['grants', 'ok'],
        ['rls', 'ok'],
        ['transaction-horizon', 'ok'],
        ['stuck-transactions', 'ok'],
      ]);
      expect(checks[1].detail).toContain(db.runtimeLogin);
    });
  },
  ['server'],
);

describeEachBackend(
  'npm run cli on the embedded database',
  () => {
    let dataDir: string;
    let running: EmbeddedPostgres | undefined;
    beforeAll(() => {
      dataDir = mkdtempSync(join(tmpdir(), 'cli-embedded-'));
    });
    afterAll(async () => {
      await running?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('works on the folder, and refuses with exit 3 while a running app holds it', async () => {
      const free = await runCli(['projections', 'list', '--json'], cliEnv({ dataDir }));
      expect(free.code).toBe(0);
      expect(json<any[]>(free.stdout).map((p) => p.name)).toContain(BOARD);

      running = await EmbeddedPostgres.start(join(dataDir, 'pgdata'), 2);
      const locked = await runCli(['projections', 'list'], cliEnv({ dataDir }));
      expect(locked.code).toBe(3);
      expect(locked.stderr).toContain('is in use by process');
      expect(locked.stderr).toContain('stop the app first');
    });
  },
  ['embedded'],
);
