import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from './config.error';

/** Name of the generated development secret inside DATA_DIR. */
export const DEV_SECRET_FILE = 'dev-jwt-secret';

/** The secret and where it came from (to tell the user how to mint tokens). */
export interface ResolvedJwtSecret {
  secret: string;
  source: 'env' | 'dev-file';
  /** Path of the development secret, when it came from there. */
  file?: string;
}

/**
 * JWT_SECRET when set. Otherwise, outside production, a random development
 * secret persisted in DATA_DIR so that the app and `npm run token` agree on it
 * across restarts. In production a missing secret is a refusal, never a
 * generated one: tokens must not silently change meaning between deployments.
 * @throws ConfigError with a message fit for the console
 */
export function resolveJwtSecret(env: NodeJS.ProcessEnv, dataDir: string): ResolvedJwtSecret {
  if (env.JWT_SECRET) {
    if (env.JWT_SECRET.length < 16 && env.NODE_ENV === 'production') {
      throw new ConfigError('JWT_SECRET is too short for production: use at least 16 characters (32+ random bytes recommended).');
    }
    return { secret: env.JWT_SECRET, source: 'env' };
  }
  if (env.NODE_ENV === 'production') {
    throw new ConfigError(
      'JWT_SECRET is not set. Refusing to start with NODE_ENV=production: set JWT_SECRET to a long random string (e.g. `openssl rand -hex 32`).',
    );
  }
  const file = join(dataDir, DEV_SECRET_FILE);
  if (existsSync(file)) {
    const secret = readFileSync(file, 'utf8').trim();
    if (secret) return { secret, source: 'dev-file', file };
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  // 0600: the secret signs tokens for every tenant.
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return { secret, source: 'dev-file', file };
}
