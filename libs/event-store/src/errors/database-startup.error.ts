import { EventStoreError } from './event-store.error';

/** Why the store could not start on the configured server. */
export type DatabaseStartupProblem = 'DATABASE_UNREACHABLE' | 'DATABASE_NOT_FOUND' | 'DATABASE_LOGIN_FAILED' | 'DATABASE_PERMISSION_DENIED';

/** Where the store tried to start: from `databaseUrl`, without the password. */
export interface DatabaseTarget {
  host: string;
  port: number;
  database: string;
  user: string;
}

/**
 * The store could not start on the PostgreSQL server of `databaseUrl`: the
 * server is unreachable, the database does not exist, the login failed, or
 * the user may not create or grant the store's roles. The message names the
 * server and database and says what to do; `cause` is the driver's error.
 */
export class DatabaseStartupError extends EventStoreError {
  /**
   * @param code which problem it is
   * @param target server, database and user from `databaseUrl`
   * @param advice what the operator should do about it
   */
  constructor(
    readonly code: DatabaseStartupProblem,
    readonly target: DatabaseTarget,
    advice: string,
    cause?: unknown,
  ) {
    super(`${describe(code, target)}. ${advice}`, { cause });
  }
}

function describe(code: DatabaseStartupProblem, { host, port, database, user }: DatabaseTarget): string {
  switch (code) {
    case 'DATABASE_UNREACHABLE':
      return `Cannot reach the PostgreSQL server at ${host}:${port} (database '${database}')`;
    case 'DATABASE_NOT_FOUND':
      return `Database '${database}' does not exist on the PostgreSQL server at ${host}:${port}`;
    case 'DATABASE_LOGIN_FAILED':
      return `User '${user}' cannot log in to database '${database}' at ${host}:${port}`;
    case 'DATABASE_PERMISSION_DENIED':
      return `User '${user}' may not create or grant the event store's roles in database '${database}' at ${host}:${port}`;
  }
}
