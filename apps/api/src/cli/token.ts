import { parseArgs } from 'node:util';
import { ROLES } from '../common/auth/role';
import { signToken } from '../common/auth/sign-token';
import { TENANT_ID_PATTERN } from '../common/auth/token-claims';
import { ConfigError } from '../config/config.error';
import { resolveJwtSecret } from '../config/jwt-secret';

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
  const roles = values.roles.split(',').map((r) => r.trim()).filter(Boolean);
  const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (unknown.length) fail(`Unknown role(s): ${unknown.join(', ')}; known: ${ROLES.join(', ')}`);
  const expiresIn = Number(values['expires-in']);
  if (!Number.isInteger(expiresIn) || expiresIn < 1) fail('--expires-in must be a positive number of seconds');
  let secret: string;
  try {
    secret = resolveJwtSecret(process.env, process.env.DATA_DIR || './.data').secret;
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  console.log(signToken({ secret, tenantId: values.tenant, roles, sub: values.sub, expiresInSeconds: expiresIn }));
}

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

main();
