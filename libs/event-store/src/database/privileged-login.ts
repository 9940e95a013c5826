import { Logger } from '@nestjs/common';
import { Queryable } from './queryable';

// A superuser or BYPASSRLS login ignores row-level security outside the
// store's own units of work: fine for development, not for production.
const PRIVILEGED_LOGIN_SQL = `SELECT rolsuper OR rolbypassrls AS privileged FROM pg_roles WHERE rolname = session_user`;

let warnedPrivileged = false;

/** Warns once per process when the pool's login escapes row-level security. */
export async function warnIfPrivileged(login: Queryable, runtimeRole: string): Promise<void> {
  if (warnedPrivileged) return;
  const [row] = (await login.query(PRIVILEGED_LOGIN_SQL, [])) as { privileged: boolean }[];
  if (row?.privileged) {
    warnedPrivileged = true;
    new Logger('EventStore').warn(
      `Connected as a superuser or BYPASSRLS login: tenant isolation holds inside the store's units of work only. ` +
        `In production connect as a login granted ${runtimeRole} (README, "Production roles").`,
    );
  }
}
