import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { TestDatabase, createTestDatabase, describeEachBackend, eventually } from '@nest-event-store/core/testing';
import { Structured, callError, callOk } from './helpers/mcp';

const ROOT = join(__dirname, '..');
// Starting the app in a child (ts-node, migrations, a new embedded cluster) is slow on a loaded machine.
const STARTUP_MS = 480_000;

/**
 * `npm run --silent mcp -- --tenant <id>` as an agent launches it, through
 * the SDK's stdio client: the README's client configuration, on the database
 * `npm start` would use (DATABASE_URL, or DATA_DIR's embedded folder).
 */
describeEachBackend('MCP over stdio (npm run mcp)', (mode) => {
  let db: TestDatabase | undefined;
  let dataDir: string | undefined;
  let client: Client;
  let transport: StdioClientTransport | undefined;
  const protocolErrors: Error[] = [];

  beforeAll(async () => {
    const env: Record<string, string> = {
      ...(Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== undefined)) as Record<string, string>),
      JWT_SECRET: randomBytes(32).toString('hex'),
      DATABASE_URL: '',
      LOG_LEVEL: 'log',
    };
    if (mode === 'server') {
      db = await createTestDatabase('server');
      env.DATABASE_URL = db.databaseUrl!;
    } else {
      dataDir = mkdtempSync(join(tmpdir(), 'mcp-stdio-'));
      env.DATA_DIR = dataDir;
    }
    transport = new StdioClientTransport({
      command: 'npm',
      args: ['run', '--silent', 'mcp', '--', '--tenant', 'acme', '--tool-prefix', 'mcp_meta_', '--sub', 'agent-7'],
      cwd: ROOT,
      env,
      stderr: 'pipe',
    });
    client = new Client({ name: 'e2e-stdio', version: '1.0.0' });
    // Any line on stdout that is not a protocol message shows up here.
    client.onerror = (error) => protocolErrors.push(error);
    await client.connect(transport, { timeout: STARTUP_MS });
  }, STARTUP_MS + 10_000);
  afterAll(async () => {
    const pid = transport?.pid;
    await client?.close();
    await db?.drop();
    // The child may still be closing its embedded database when close() returns.
    if (pid) await eventually(() => !isAlive(pid), 30_000, 'npm run mcp to exit').catch(() => undefined);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 500 });
  });

  it('lists the tools under the configured prefix', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual([
      'mcp_meta_emit_event',
      'mcp_meta_query_events',
      'mcp_meta_replay_events',
      'mcp_meta_list_event_types',
      'mcp_meta_get_event_aggregates',
      'mcp_meta_get_latest_events',
    ]);
  });

  it('records and queries a trail, replays it, and survives bad arguments', async () => {
    const emit = (n: number) =>
      callOk(client, 'mcp_meta_emit_event', { aggregate_type: 'Job', aggregate_id: 'task-1', event_type: 'JobProgressed', data: { n } });
    const first = await emit(1);
    expect(first.aggregate_version).toBe(1);
    await emit(2);
    await emit(3);
    expect(await callError(client, 'mcp_meta_emit_event', { aggregate_type: 'Job', aggregate_id: 'task-1', data: {} })).toMatch(
      /event_type/,
    );
    // Another process writes the same database: wait until the events pass the gap-safe read horizon.
    let page: Structured = {};
    await eventually(
      async () => (page = await callOk(client, 'mcp_meta_query_events', { aggregate_id: 'task-1', limit: 2 })).total_count === 3,
      30_000,
      'three events',
    );
    expect(page.events.map((e: Structured) => e.data.n)).toEqual([1, 2]);
    expect(page.events[0].metadata).toMatchObject({ userId: 'agent-7', source: 'mcp:stdio' });
    const rest = await callOk(client, 'mcp_meta_query_events', { aggregate_id: 'task-1', limit: 2, cursor: page.next_cursor });
    expect(rest).toMatchObject({ has_more: false, next_cursor: null, total_count: 3 });
    expect(await callOk(client, 'mcp_meta_replay_events', { aggregate_type: 'Job', aggregate_id: 'task-1', to_version: 2 })).toMatchObject({
      final_state: { n: 2 },
      events_replayed: 2,
    });
    expect((await callOk(client, 'mcp_meta_get_latest_events', { limit: 1 })).events[0].data).toEqual({ n: 3 });
    expect((await callOk(client, 'mcp_meta_get_event_aggregates')).by_event_type).toEqual({ JobProgressed: 3 });
    expect(await callError(client, 'emit_event', {})).toMatch(/not found/);
    expect(protocolErrors).toEqual([]);
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('npm run mcp arguments', () => {
  const run = promisify(execFile);
  it.each([
    [['--tenant', 'no spaces allowed'], /--tenant must be/],
    [[], /--tenant must be/],
    [['--tenant', 'acme', '--roles', 'auditor,root'], /Unknown role\(s\): root/],
    [['--tenant', 'acme', '--tool-prefix', 'Bad-Prefix'], /MCP_TOOL_PREFIX must be/],
  ])(
    'refuses %j with the reason on stderr and nothing on stdout',
    async (args, reason) => {
      const failed = await run('npm', ['run', '--silent', 'mcp', '--', ...args], {
        cwd: ROOT,
        env: { ...process.env, JWT_SECRET: 'x'.repeat(32), DATA_DIR: mkdtempSync(join(tmpdir(), 'mcp-args-')) },
      }).then(
        () => undefined,
        (error: { code: number; stdout: string; stderr: string }) => error,
      );
      expect(failed).toBeDefined();
      expect(failed!.code).toBe(1);
      expect(failed!.stderr).toMatch(reason);
      expect(failed!.stdout).toBe('');
    },
    120_000,
  );
});
