// Races for a data folder lock: waits until START_AT (epoch ms), tries to
// take the lock on DATA_DIR, prints "won" or "refused <holderPid>", and holds
// a won lock until killed, so that every other racer meets a live holder.
import { DataDirLock } from '../data-dir-lock';
import { DataDirLockedError } from '../../errors/data-dir-locked.error';

const startAt = Number(process.env.START_AT);
while (Date.now() < startAt) {
  // spin: every racer starts within the same millisecond or so
}
try {
  const lock = DataDirLock.acquire(process.env.DATA_DIR!);
  process.stdout.write('won\n');
  setInterval(() => lock.dataDir, 1000);
} catch (error) {
  if (!(error instanceof DataDirLockedError)) throw error;
  process.stdout.write(`refused ${error.holderPid}\n`);
}
