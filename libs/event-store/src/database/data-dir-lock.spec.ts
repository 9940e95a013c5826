import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDirLockedError } from '../errors/data-dir-locked.error';
import { DataDirLock, LOCK_FILE_NAME } from './data-dir-lock';

/** A pid that surely does not run: a child that has already exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

describe('DataDirLock', () => {
  let root: string;
  let dir: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'data-dir-lock-'));
  });
  beforeEach(() => {
    dir = join(root, `db-${Math.random().toString(36).slice(2)}`);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const writeLock = (holder: Record<string, unknown>): void => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, LOCK_FILE_NAME), JSON.stringify(holder));
  };

  it('creates the folder with only the lock file in it, naming this process', () => {
    const lock = DataDirLock.acquire(dir);
    expect(readdirSync(dir)).toEqual([LOCK_FILE_NAME]);
    expect(JSON.parse(readFileSync(lock.file, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
    lock.release();
  });

  it('rejects a second lock on a held folder with DataDirLockedError naming the folder and the holder pid', () => {
    const lock = DataDirLock.acquire(dir);
    try {
      let error: unknown;
      try {
        DataDirLock.acquire(join(dir, '.'));
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(DataDirLockedError);
      expect(error).toMatchObject({
        code: 'DATA_DIR_LOCKED',
        dataDir: lock.dataDir,
        holderPid: process.pid,
        lockFile: lock.file,
        holderHost: undefined,
      });
      expect((error as Error).message).toContain(`'${lock.dataDir}' is in use by process ${process.pid}`);
    } finally {
      lock.release();
    }
  });

  it('lets the folder be locked again after release, and release twice is harmless', () => {
    const first = DataDirLock.acquire(dir);
    first.release();
    first.release();
    expect(existsSync(first.file)).toBe(false);
    const second = DataDirLock.acquire(dir);
    first.release(); // a stale handle must not remove the new holder's lock
    expect(existsSync(second.file)).toBe(true);
    second.release();
  });

  it('takes over a lock whose holder no longer runs', () => {
    writeLock({ pid: deadPid(), startTime: '1', host: hostname(), nonce: 'x' });
    const lock = DataDirLock.acquire(dir);
    expect(JSON.parse(readFileSync(lock.file, 'utf8')).pid).toBe(process.pid);
    expect(readdirSync(dir)).toEqual([LOCK_FILE_NAME]);
    lock.release();
  });

  (existsSync('/proc/self/stat') ? it : it.skip)('takes over a lock whose pid now belongs to a process started at another time', () => {
    writeLock({ pid: process.pid, startTime: '1', host: hostname(), nonce: 'x' });
    const lock = DataDirLock.acquire(dir);
    expect(JSON.parse(readFileSync(lock.file, 'utf8')).startTime).not.toBe('1');
    lock.release();
  });

  it('takes over an unreadable lock file', () => {
    writeLock({});
    DataDirLock.acquire(dir).release();
  });

  it('refuses a lock held on another host, whose liveness it cannot check, and names that host', () => {
    writeLock({ pid: deadPid(), startTime: '1', host: 'other-host', nonce: 'x' });
    expect(() => DataDirLock.acquire(dir)).toThrow(expect.objectContaining({ code: 'DATA_DIR_LOCKED', holderHost: 'other-host' }));
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE_NAME), 'utf8')).host).toBe('other-host');
  });

  it('removes a takeover guard left by a process that died mid-takeover', () => {
    writeLock({ pid: deadPid(), startTime: '1', host: hostname(), nonce: 'x' });
    writeFileSync(
      join(dir, `${LOCK_FILE_NAME}.takeover`),
      JSON.stringify({ pid: deadPid(), startTime: '1', host: hostname(), nonce: 'y' }),
    );
    const lock = DataDirLock.acquire(dir);
    expect(readdirSync(dir)).toEqual([LOCK_FILE_NAME]);
    lock.release();
  });
});
