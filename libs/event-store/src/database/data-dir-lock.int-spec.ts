import { ChildProcess, fork, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCK_FILE_NAME } from './data-dir-lock';
import { APPENDER_BATCH } from './testing-fixtures/embedded-appender';

jest.setTimeout(120_000);

const ROOT = join(__dirname, '../../../..');
const APPENDER = join(__dirname, 'testing-fixtures/embedded-appender.ts');
const RACER = join(__dirname, 'testing-fixtures/lock-racer.ts');
const MAIN = join(ROOT, 'apps/api/src/main.ts');
const TS_NODE = ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'];

interface Appender {
  process: ChildProcess;
  /** Events acknowledged so far (every ack message received). */
  acked: number;
  output: string[];
  next(): Promise<Record<string, unknown>>;
}

/** Forks the appender fixture on a data folder and waits for its first message (ready or refused). */
async function startAppender(dataDir: string): Promise<{ appender: Appender; first: Record<string, unknown> }> {
  const output: string[] = [];
  const child = fork(APPENDER, [], {
    cwd: ROOT,
    execArgv: TS_NODE,
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', TS_NODE_PROJECT: join(ROOT, 'tsconfig.json') },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  child.stdout!.on('data', (d) => output.push(String(d)));
  child.stderr!.on('data', (d) => output.push(String(d)));
  const inbox: Record<string, unknown>[] = [];
  const waiters: ((m: Record<string, unknown>) => void)[] = [];
  const appender: Appender = {
    process: child,
    acked: 0,
    output,
    next: () => new Promise((resolve) => (inbox.length ? resolve(inbox.shift()!) : waiters.push(resolve))),
  };
  child.on('message', (m: Record<string, unknown>) => {
    if (typeof m.acked === 'number') return void (appender.acked = Math.max(appender.acked, m.acked));
    const waiter = waiters.shift();
    if (waiter) waiter(m);
    else inbox.push(m);
  });
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`appender exited with ${code}: ${output.join('')}`))),
  );
  const first = await Promise.race([appender.next(), exited]);
  exited.catch(() => undefined);
  return { appender, first };
}

/** Runs the API (apps/api/src/main.ts, as `npm start` does) until it exits. */
function runApi(dataDir: string): Promise<{ code: number | null; output: string; ms: number }> {
  const started = Date.now();
  const output: string[] = [];
  const child = fork(MAIN, [], {
    cwd: ROOT,
    execArgv: TS_NODE,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      DATABASE_URL: '',
      PORT: '0',
      JWT_SECRET: 'lock-test-secret-0123456789',
      TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'),
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  child.stdout!.on('data', (d) => output.push(String(d)));
  child.stderr!.on('data', (d) => output.push(String(d)));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output: output.join(''), ms: Date.now() - started });
    }),
  );
}

async function until(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the embedded data folder across processes', () => {
  let dir: string;
  const children: ChildProcess[] = [];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'event-store-lock-'));
  });
  afterAll(() => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a second process at once naming the holder, and keeps every acknowledged event across SIGKILL mid-batch and restart', async () => {
    // The API keeps its database in DATA_DIR/pgdata: the appender holds the same folder.
    const pgdata = join(dir, 'pgdata');
    const { appender: holder, first } = await startAppender(pgdata);
    children.push(holder.process);
    expect(first).toEqual({ ready: holder.process.pid });
    holder.process.send({ cmd: 'append' });
    await until(() => holder.acked >= 50, 'the first acknowledged appends');

    // A second store process, and the API itself, refuse while the first keeps appending.
    const [{ appender: second, first: refusal }, api] = await Promise.all([startAppender(pgdata), runApi(dir)]);
    children.push(second.process);
    expect(refusal).toEqual({
      refused: 'DATA_DIR_LOCKED',
      holderPid: holder.process.pid,
      message: expect.stringContaining(`'${pgdata}' is in use by process ${holder.process.pid}`),
    });
    expect(api.code).toBe(1);
    expect(api.output).toContain(`'${pgdata}' is in use by process ${holder.process.pid}`);
    expect(api.output).not.toContain('EADDRINUSE');

    // The holder still appends; then it dies with batches in flight.
    const ackedBefore = holder.acked;
    await until(() => holder.acked >= ackedBefore + 100, 'appends after the refusals');
    const exited = new Promise((resolve) => holder.process.once('exit', resolve));
    holder.process.kill('SIGKILL');
    await exited;
    const acked = holder.acked;
    expect(existsSync(join(pgdata, LOCK_FILE_NAME))).toBe(true);

    // The dead holder's lock does not block the restart, and nothing acknowledged is lost.
    const { appender: restarted, first: ready } = await startAppender(pgdata);
    children.push(restarted.process);
    expect(ready).toEqual({ ready: restarted.process.pid });
    restarted.process.send({ cmd: 'count' });
    const { streams } = (await restarted.next()) as { streams: Record<string, number> };
    const total = Object.values(streams).reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThanOrEqual(acked);
    // At most the two batches in flight committed without their ack reaching us.
    expect(total).toBeLessThanOrEqual(acked + 2 * APPENDER_BATCH);
    // Batches are atomic: a kill mid-batch leaves no partial batch.
    for (const count of Object.values(streams)) expect(count % APPENDER_BATCH).toBe(0);

    const stopped = new Promise((resolve) => restarted.process.once('exit', resolve));
    restarted.process.send({ cmd: 'stop' });
    expect(await stopped).toBe(0);
    expect(existsSync(join(pgdata, LOCK_FILE_NAME))).toBe(false);
  });

  it('lets exactly one of several processes racing over a stale lock take it', async () => {
    const folder = join(dir, 'race');
    mkdirSync(folder);
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    writeFileSync(join(folder, LOCK_FILE_NAME), JSON.stringify({ pid: dead, startTime: '1', host: hostname(), nonce: 'stale' }));
    const startAt = Date.now() + 5000;
    const racers = Array.from({ length: 6 }, () =>
      spawn(process.execPath, [...TS_NODE, RACER], { cwd: ROOT, env: { ...process.env, DATA_DIR: folder, START_AT: String(startAt) } }),
    );
    children.push(...racers);
    // The winner holds the lock until killed: a slow racer meets it alive, whatever its start.
    const results = await Promise.all(
      racers.map(
        (racer) =>
          new Promise<string>((resolve, reject) => {
            let out = '';
            racer.stdout!.on('data', (d) => (out += String(d)) && out.includes('\n') && resolve(out.trim()));
            racer.once('close', (code) => reject(new Error(`racer exited with ${code} before answering`)));
          }),
      ),
    );
    expect(Date.now()).toBeGreaterThan(startAt);
    expect(results.filter((r) => r === 'won')).toHaveLength(1);
    expect(results.filter((r) => r.startsWith('refused '))).toHaveLength(5);
    expect(new Set(results.filter((r) => r !== 'won')).size).toBe(1);
  });
});
