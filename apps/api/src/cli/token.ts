import { parseArgs } from 'node:util';
import { ROLES } from '../common/auth/role';
import { signToken } from '../common/auth/sign-token';
import { TENANT_ID_PATTERN } from '@nest-event-store/core';
import { ConfigError } from '../config/config.error';
import { resolveJwtSecret } from '../config/jwt-secret';
import { loadTokenLifetime } from '../config/token-lifetime';

const USAGE = 'Usage: npm run token -- --tenant <id> --roles auditor,writer,dpo [--sub alice] [--expires-in 3600]';

/**
 * Prints a bearer token for the API, signed with JWT_SECRET or the
 * development secret the app generated under DATA_DIR.
 */
function main(): void {
  const { values } = parseArgs({
    options: {
      tenant: { type: 'string' },
      roles: { type: 'string', default: 'auditor' },
      sub: { type: 'string', default: 'dev' },
      'expires-in': { type: 'string', default: '3600' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return void console.log(USAGE);
  if (!values.tenant || !TENANT_ID_PATTERN.test(values.tenant)) fail(`--tenant must be 1-64 letters, digits, ".", "_" or "-".\n${USAGE}`);
  const roles = values.roles
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (unknown.length) fail(`Unknown role(s): ${unknown.join(', ')}; known: ${ROLES.join(', ')}`);
  // The same limits as the API's, so that every token printed here passes.
  const lifetime = configured(() => loadTokenLifetime(process.env));
  const expiresIn = Number(values['expires-in']);
  if (!Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > lifetime.maxLifetimeSeconds) {
    fail(`--expires-in must be a whole number of seconds from 1 to ${lifetime.maxLifetimeSeconds} (JWT_MAX_LIFETIME)`);
  }
  const secret = configured(() => resolveJwtSecret(process.env, process.env.DATA_DIR || './.data').secret);
  console.log(signToken({ secret, tenantId: values.tenant, roles, sub: values.sub, expiresInSeconds: expiresIn }));
}

/** Runs a config reader, turning its ConfigError into a console message and exit 1. */
function configured<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
}

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

main();
