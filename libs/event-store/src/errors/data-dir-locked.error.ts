import { EventStoreError } from './event-store.error';

/**
 * Another live process holds the embedded database's data folder. PGlite
 * takes no lock of its own: two processes on one folder lose acknowledged
 * writes and can leave it unreadable, so the store refuses to open it.
 */
export class DataDirLockedError extends EventStoreError {
  readonly code = 'DATA_DIR_LOCKED';

  /**
   * @param dataDir the folder, as an absolute path
   * @param holderPid process id of the holder, as recorded in the lock file
   * @param lockFile the lock file, to delete by hand only if the holder is gone for sure
   * @param holderHost host name of the holder, when it is not this host (its liveness cannot be checked from here)
   */
  constructor(
    readonly dataDir: string,
    readonly holderPid: number,
    readonly lockFile: string,
    readonly holderHost?: string,
  ) {
    super(
      `Data folder '${dataDir}' is in use by process ${holderPid}${holderHost ? ` on host '${holderHost}'` : ''}: ` +
        `one embedded database serves one process. Stop that process or use another folder` +
        (holderHost ? `; if that host no longer runs it, delete ${lockFile}` : ''),
    );
  }
}
