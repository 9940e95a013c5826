import { AddressInfo } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';
import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { EmbeddedDatabaseUnavailableError } from '../errors/embedded-database-unavailable.error';
import { DataDirLock } from './data-dir-lock';

/**
 * PGlite (PostgreSQL compiled to WebAssembly) behind its socket server on a
 * loopback port, so that the store reaches it through the same `pg` driver
 * and the same SQL as a real server. The store starts one itself when it has
 * neither `databaseUrl` nor `dataSource`; an application that owns its
 * DataSource (`TypeOrmModule`) starts one, points the DataSource at `url`
 * with at most `maxConnections` connections, stops it after destroying the
 * DataSource, and passes the DataSource to the store (option `dataSource`). PGlite runs one transaction at a time:
 * the socket server queues other connections behind an open transaction.
 * A data folder is locked for as long as it is open (DataDirLock): PGlite
 * takes no lock of its own, and two processes on one folder lose writes.
 */
export class EmbeddedPostgres {
  /** URLs of the embedded databases this process serves, so that a shared DataSource on one is recognised. */
  private static readonly serving = new Set<string>();

  private constructor(
    private readonly db: PGlite,
    private readonly server: PGLiteSocketServer,
    /** Loopback port the socket server listens on. */
    readonly port: number,
    private readonly lock: DataDirLock | undefined,
  ) {}

  /**
   * Opens (or creates) the database in `dataDir` and serves it on a free port.
   * A folder is locked first, before PGlite reads any of its files.
   * @param dataDir a folder, or `memory://` for a throw-away database (no lock)
   * @throws DataDirLockedError when another live process has the folder open
   */
  static async start(dataDir: string, maxConnections: number): Promise<EmbeddedPostgres> {
    // Loaded before the lock: without PGlite installed, nothing is created on disk.
    const { PGlite, PGLiteSocketServer } = await loadPglite();
    const lock = dataDir.startsWith('memory://') ? undefined : DataDirLock.acquire(dataDir);
    let db: PGlite | undefined;
    try {
      db = await PGlite.create(lock?.dataDir ?? dataDir);
      const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections });
      keepExtendedQueriesTogether(server);
      await server.start();
      const address = (server as unknown as { server: { address(): AddressInfo } }).server.address();
      const embedded = new EmbeddedPostgres(db, server, address.port, lock);
      EmbeddedPostgres.serving.add(embedded.url);
      return embedded;
    } catch (error) {
      await db?.close().catch(() => undefined);
      lock?.release();
      throw error;
    }
  }

  /** Connection URL for the `pg` driver. */
  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  /** True when `url` is that of an embedded database this process serves (see `url`). */
  static serves(url: string | undefined): boolean {
    return url !== undefined && EmbeddedPostgres.serving.has(url);
  }

  /** Stops serving, closes the database files and releases the folder. */
  async stop(): Promise<void> {
    EmbeddedPostgres.serving.delete(this.url);
    await this.server.stop();
    await this.db.close();
    // Only once the files are closed: if closing failed, PGlite may still write.
    this.lock?.release();
  }
}

/**
 * PGlite is an optional peer dependency: an app on a PostgreSQL server need
 * not install its WebAssembly build, so it is loaded only here, on first use.
 * @throws EmbeddedDatabaseUnavailableError when either package is missing
 */
async function loadPglite(): Promise<{ PGlite: typeof PGlite; PGLiteSocketServer: typeof PGLiteSocketServer }> {
  try {
    const [{ PGlite: pglite }, { PGLiteSocketServer: socketServer }] = await Promise.all([
      import('@electric-sql/pglite'),
      import('@electric-sql/pglite-socket'),
    ]);
    return { PGlite: pglite, PGLiteSocketServer: socketServer };
  } catch (error) {
    if ((error as { code?: string }).code === 'MODULE_NOT_FOUND' || (error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND') {
      throw new EmbeddedDatabaseUnavailableError(error);
    }
    throw error;
  }
}

// Extended-protocol messages that leave a query half-way (Parse, Bind,
// Describe, Execute, Close, Flush); Sync ('S') or a simple Query ends it.
const MID_QUERY_MESSAGES = new Set(['P', 'B', 'D', 'E', 'C', 'H'].map((c) => c.charCodeAt(0)));

/**
 * The socket server queues messages from all connections and sticks to one
 * connection only while PGlite reports an open transaction block. A
 * parameterized autocommit query is several messages (Parse, Bind, Execute,
 * Sync) outside any block, so two connections' messages interleaved and one
 * query ran another's portal ("portal does not exist") or lost its unnamed
 * statement under concurrent appends. Reporting "in transaction" from the
 * first extended-protocol message up to its Sync makes the queue keep one
 * connection's query together, as a real server does per backend.
 */
function keepExtendedQueriesTogether(server: PGLiteSocketServer): void {
  const queue = (server as unknown as { queryQueue: { db: PGlite } }).queryQueue;
  const db = queue.db;
  let midQuery = false;
  queue.db = new Proxy(db, {
    get(target, property) {
      if (property === 'isInTransaction') return () => midQuery || target.isInTransaction();
      if (property === 'execProtocolRawStream') {
        return (message: Uint8Array, options: unknown) => {
          midQuery = MID_QUERY_MESSAGES.has(message[0]);
          return (target.execProtocolRawStream as (m: Uint8Array, o: unknown) => unknown)(message, options);
        };
      }
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
