import { ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = join(__dirname, '..');

/** A port that was free a moment ago (the OS picks it). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitForHealth(url: string, child: ChildProcess, output: () => string, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`the app exited with ${child.exitCode} before answering:\n${output()}`);
    try {
      const response = await fetch(url);
      if (response.status === 200) return response.status;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no 200 from ${url} within ${timeoutMs} ms:\n${output()}`);
}

// The deployable build: `npm run build` compiles the library package and the
// app, and `npm run start:prod` runs plain node on the output, with the
// library resolved by package name through the workspace (no path aliases).
describe('npm run build && npm run start:prod', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'es-start-prod-'));
  let child: ChildProcess | undefined;

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await new Promise((resolve) => child!.once('exit', resolve));
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('builds the library and the app, and the app resolves the library to its build', async () => {
    await run('npm', ['run', 'build'], { cwd: ROOT });
    const { stdout } = await run(process.execPath, ['-p', "require.resolve('@nest-event-store/core')"], { cwd: join(ROOT, 'dist') });
    expect(stdout.trim()).toBe(join(ROOT, 'libs', 'event-store', 'dist', 'index.js'));
  }, 240_000);

  it('starts the built app on the embedded database and answers /api/health with 200, then stops on SIGTERM', async () => {
    const port = await freePort();
    let output = '';
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DATA_DIR: dataDir, DATABASE_URL: '', NODE_ENV: 'development' };
    child = spawn(process.execPath, [join(ROOT, 'dist', 'apps', 'api', 'src', 'main.js')], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));

    expect(await waitForHealth(`http://127.0.0.1:${port}/api/health`, child, () => output, 90_000)).toBe(200);

    // Nest's shutdown hooks close the app and then re-raise the signal, so a
    // clean stop ends by SIGTERM rather than with exit code 0.
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      child!.once('exit', (code, signal) => resolve({ code, signal })),
    );
    child.kill('SIGTERM');
    expect([
      { code: 0, signal: null },
      { code: null, signal: 'SIGTERM' },
    ]).toContainEqual(await exited);
  }, 120_000);
});
