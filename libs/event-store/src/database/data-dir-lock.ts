import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { DataDirLockedError } from '../errors/data-dir-locked.error';

/** Name of the lock file inside the data folder. */
export const LOCK_FILE_NAME = 'event-store.lock';

/** Who holds a lock: enough to tell a live holder from a dead one whose pid was reused. */
interface LockHolder {
  pid: number;
  /** Start time of the process in clock ticks since boot (Linux), null where unknown. */
  startTime: string | null;
  host: string;
  /** Makes every lock file's content unique, so a takeover removes exactly the file it judged stale. */
  nonce: string;
}

// Bounded retries: each round either takes the lock, refuses, or removes one
// stale file; a competitor mid-takeover holds its guard for two system calls.
const ATTEMPTS = 100;
const RETRY_MS = 10;

/**
 * An exclusive lock on an embedded data folder, held for as long as the
 * database is open: a file created atomically (hard link of a complete temp
 * file, so nobody ever reads a half-written lock) that names its holder's pid,
 * process start time and host. A lock whose holder is gone (SIGKILL, crash)
 * does not block: a holder that no longer runs, or whose pid now belongs to a
 * process started at another time, is stale and is taken over under a second
 * exclusive file (see docs/decisions/0010-embedded-folder-lock.md).
 */
export class DataDirLock {
  private released = false;

  private constructor(
    /** The folder, as an absolute path. */
    readonly dataDir: string,
    /** The lock file. */
    readonly file: string,
    private readonly content: string,
  ) {}

  /**
   * Takes the lock, creating the folder if needed. Touches nothing else in it.
   * @throws DataDirLockedError when a live process (this one included) holds it
   */
  static acquire(dataDir: string): DataDirLock {
    const dir = resolve(dataDir);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, LOCK_FILE_NAME);
    const content = JSON.stringify(currentHolder());
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      if (createExclusive(file, content)) return new DataDirLock(dir, file, content);
      const raw = readIfExists(file);
      if (raw === undefined) continue; // released in between: try again
      const holder = parseHolder(raw);
      if (holder && isAlive(holder))
        throw new DataDirLockedError(dir, holder.pid, file, holder.host === hostname() ? undefined : holder.host);
      removeStale(file, raw, content);
    }
    const holder = parseHolder(readIfExists(file) ?? '');
    throw new DataDirLockedError(dir, holder?.pid ?? 0, file);
  }

  /** Removes the lock file if it is still ours. Safe to call twice. */
  release(): void {
    if (this.released) return;
    this.released = true;
    if (readIfExists(this.file) === this.content) unlinkQuietly(this.file);
  }
}

function currentHolder(): LockHolder {
  return { pid: process.pid, startTime: processStartTime(process.pid), host: hostname(), nonce: randomBytes(8).toString('hex') };
}

/**
 * Creates `file` holding `content`, or returns false when it exists. The
 * content is written to a private temp file first and then hard-linked into
 * place: link(2) fails when the target exists, atomically, like O_EXCL, and
 * the lock appears complete.
 */
function createExclusive(file: string, content: string): boolean {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temp, content, { flag: 'wx', mode: 0o644 });
  try {
    linkSync(temp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkQuietly(temp);
  }
}

/**
 * Removes a lock file judged stale, unless it changed since it was read.
 * Two starters may judge the same file stale at once; the guard (a second
 * exclusive file) lets one of them at a time re-read and remove it, so a
 * fresh lock created by the winner is never removed by the other.
 */
function removeStale(file: string, staleContent: string, ownContent: string): void {
  const guard = `${file}.takeover`;
  if (!createExclusive(guard, ownContent)) {
    const raw = readIfExists(guard);
    const holder = raw === undefined ? undefined : parseHolder(raw);
    // A guard outlives its holder only if that process died between two system calls.
    if (raw !== undefined && (!holder || !isAlive(holder)) && readIfExists(guard) === raw) unlinkQuietly(guard);
    sleep(RETRY_MS);
    return;
  }
  try {
    if (readIfExists(file) === staleContent) unlinkQuietly(file);
  } finally {
    unlinkQuietly(guard);
  }
}

/**
 * Whether the recorded holder still runs. Another host's process cannot be
 * checked from here and counts as alive (refusing is the safe side). A pid
 * that answers but belongs to a process started at another time was reused.
 */
function isAlive(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return true;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const startTime = processStartTime(holder.pid);
  return holder.startTime === null || startTime === null || startTime === holder.startTime;
}

/** Field 22 of /proc/<pid>/stat (start time in ticks since boot); null off Linux. */
function processStartTime(pid: number): string | null {
  const stat = readIfExists(`/proc/${pid}/stat`);
  if (stat === undefined) return null;
  // The command name (field 2) is in parentheses and may contain spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[19] ?? null;
}

function parseHolder(raw: string): LockHolder | undefined {
  try {
    const holder = JSON.parse(raw) as Partial<LockHolder>;
    if (!Number.isInteger(holder.pid) || typeof holder.host !== 'string') return undefined;
    return {
      pid: holder.pid!,
      startTime: typeof holder.startTime === 'string' ? holder.startTime : null,
      host: holder.host,
      nonce: String(holder.nonce),
    };
  } catch {
    return undefined;
  }
}

function readIfExists(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}

/** Blocks briefly: acquiring happens once at startup, before anything else runs. */
function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
