import { EventStoreError } from './event-store.error';

/** The optional peer dependencies that the embedded database needs. */
export const EMBEDDED_DATABASE_PACKAGES = ['@electric-sql/pglite@^0.5.14', '@electric-sql/pglite-socket@^0.2.17'] as const;

/**
 * The store was configured without `databaseUrl` (embedded PGlite), but PGlite
 * is not installed: it is an optional peer dependency, so that apps on a
 * PostgreSQL server do not carry its WebAssembly build.
 */
export class EmbeddedDatabaseUnavailableError extends EventStoreError {
  readonly code = 'EMBEDDED_DATABASE_UNAVAILABLE';

  constructor(cause?: unknown) {
    super(
      'The embedded database (no databaseUrl given) needs PGlite, an optional peer dependency that is not installed. ' +
        `Run: npm install ${EMBEDDED_DATABASE_PACKAGES.join(' ')} — or set databaseUrl to a PostgreSQL server.`,
      { cause },
    );
  }
}
