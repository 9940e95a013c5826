import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
/** `npm run cli` without npm in between, so that signals reach the command itself. */
export const CLI_NODE_ARGS = ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/api/src/cli/cli.ts'];

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Environment of one command: the given database (server URL or embedded DATA_DIR), quiet logs, a progress line per chunk. */
export function cliEnv(target: { databaseUrl?: string; dataDir?: string }, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'error', CLI_PROGRESS_INTERVAL_MS: '1', ...extra };
  delete env.DATABASE_URL;
  delete env.DATA_DIR;
  if (target.databaseUrl) env.DATABASE_URL = target.databaseUrl;
  if (target.dataDir) env.DATA_DIR = target.dataDir;
  return env;
}

/** Starts the command as a process. */
export function startCli(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [...CLI_NODE_ARGS, ...args], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Collects a started command's output until it exits. */
export function finished(child: ChildProcess): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs the command to its end, with `input` on stdin. */
export function runCli(args: string[], env: NodeJS.ProcessEnv, input = ''): Promise<CliRun> {
  const child = startCli(args, env);
  const done = finished(child);
  child.stdin!.end(input);
  return done;
}

/** Resolves once the stream has printed text matching `pattern`. */
export function waitForOutput(stream: NodeJS.ReadableStream, pattern: RegExp, timeoutMs = 120_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(
      () => reject(new Error(`no output matching ${pattern} within ${timeoutMs} ms; got: ${seen.slice(-500)}`)),
      timeoutMs,
    );
    const onData = (d: Buffer) => {
      seen += d.toString();
      if (pattern.test(seen)) {
        clearTimeout(timer);
        stream.off('data', onData);
        resolve();
      }
    };
    stream.on('data', onData);
  });
}

/** Export lines of new requirements (one event per stream), for seeding through `events import`. */
export function requirementLines(tenantId: string, count: number, from = 0): string {
  const lines = [];
  for (let i = from; i < from + count; i++) {
    const at = new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString();
    lines.push(
      JSON.stringify({
        eventId: randomUUID(),
        tenantId,
        aggregateType: 'Requirement',
        aggregateId: `req-${i}`,
        aggregateVersion: 1,
        eventType: 'RequirementCreated',
        eventVersion: 1,
        occurredAt: at,
        storedAt: at,
        data: { title: `Requirement ${i}`, priority: 'HIGH' },
        metadata: { userId: 'seed', subjectId: `subject-${i % 10}` },
        isRedacted: false,
        redactedAt: null,
      }),
    );
  }
  return `${lines.join('\n')}\n`;
}
