import { join } from 'node:path';
import { ROLE_PREFIX_PATTERN } from '@nest-event-store/core';
import { ConfigError } from './config.error';
import { resolveJwtSecret } from './jwt-secret';
import { TokenLifetimePolicy, loadTokenLifetime } from './token-lifetime';

/** Everything the API reads from its environment, resolved once at startup. */
export interface AppConfig {
  /** HTTP port. @default 3000 */
  port: number;
  /** `postgres://…` URL of a PostgreSQL server; absent: embedded PGlite. */
  databaseUrl?: string;
  /**
   * `postgres://…` URL of the schema owner, used only to migrate at startup;
   * absent: DATABASE_URL's login migrates (README "Production roles").
   */
  migrationsDatabaseUrl?: string;
  /** Prefix of the event store's database roles. @default 'event_store' */
  rolePrefix?: string;
  /** Folder of the embedded database (or `memory://`). @default './.data/pgdata' */
  embeddedDataDir: string;
  /** HS256 secret of the bearer tokens. */
  jwtSecret: string;
  /** Where the secret came from; main tells the user how to mint a token when it was generated. */
  jwtSecretFile?: string;
  /** Longest token lifetime and tolerated clock skew. @default DEFAULT_TOKEN_LIFETIME (24 h, 30 s) */
  tokenLifetime?: TokenLifetimePolicy;
  /** Largest accepted request body, in bytes. @default 1048576 (1 MiB) */
  bodyLimitBytes: number;
  /**
   * Seconds a transaction of the database may hold readers of the event log
   * back before it is logged and /api/health reports `degraded`. @default 30
   */
  horizonWarningSeconds: number;
  /**
   * Events a subscription or projection may be behind before /api/health
   * reports it (and so the app) `degraded`. @default 1000
   */
  subscriptionLagWarningEvents?: number;
  /** Expose Prometheus process metrics (CPU, memory, event loop) beside the app's own. @default true */
  processMetrics: boolean;
  /** Longest database statement, in ms (EventStoreModule `statementTimeoutMs`). @default the library's, 10000 */
  statementTimeoutMs?: number;
  /** Longest wait for a database connection, in ms (EventStoreModule `connectionTimeoutMs`). @default the library's, 5000 */
  connectionTimeoutMs?: number;
  /**
   * Serve POST /api/console/dev-token, the console's development sign-in
   * (loadConfig: when NODE_ENV is not `production`). @default false
   */
  devTokens?: boolean;
  /** Prefix of the MCP tool names (`mcp_meta_` gives `mcp_meta_emit_event`). @default none */
  mcpToolPrefix?: string;
}

const DEFAULT_BODY_LIMIT = 1024 * 1024;

/**
 * Reads PORT, DATABASE_URL, MIGRATIONS_DATABASE_URL, EVENT_STORE_ROLE_PREFIX,
 * DATA_DIR, JWT_SECRET, JWT_MAX_LIFETIME, JWT_CLOCK_SKEW, BODY_LIMIT,
 * HORIZON_WARNING_SECONDS, SUBSCRIPTION_LAG_WARNING_EVENTS, NODE_ENV, DATABASE_STATEMENT_TIMEOUT_MS and
 * DATABASE_CONNECTION_TIMEOUT_MS and MCP_TOOL_PREFIX.
 * The embedded database lives in `DATA_DIR/pgdata` so that DATA_DIR can also
 * hold the generated development secret without touching PostgreSQL's files.
 * @throws ConfigError on an invalid value, or in production without JWT_SECRET
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const dataDir = env.DATA_DIR || './.data';
  const secret = resolveJwtSecret(env, dataDir);
  return {
    port: parseInteger('PORT', env.PORT, 3000, 0, 65535),
    databaseUrl: env.DATABASE_URL || undefined,
    migrationsDatabaseUrl: env.MIGRATIONS_DATABASE_URL || undefined,
    rolePrefix: parseRolePrefix(env.EVENT_STORE_ROLE_PREFIX),
    embeddedDataDir: join(dataDir, 'pgdata'),
    jwtSecret: secret.secret,
    jwtSecretFile: secret.file,
    tokenLifetime: loadTokenLifetime(env),
    bodyLimitBytes: parseInteger('BODY_LIMIT', env.BODY_LIMIT, DEFAULT_BODY_LIMIT, 1, 1024 * 1024 * 1024),
    horizonWarningSeconds: parseInteger('HORIZON_WARNING_SECONDS', env.HORIZON_WARNING_SECONDS, 30, 1, 86_400),
    subscriptionLagWarningEvents: parseInteger(
      'SUBSCRIPTION_LAG_WARNING_EVENTS',
      env.SUBSCRIPTION_LAG_WARNING_EVENTS,
      1000,
      1,
      1_000_000_000,
    ),
    processMetrics: env.PROCESS_METRICS !== 'false',
    statementTimeoutMs: optionalInteger('DATABASE_STATEMENT_TIMEOUT_MS', env.DATABASE_STATEMENT_TIMEOUT_MS, 100, 3_600_000),
    connectionTimeoutMs: optionalInteger('DATABASE_CONNECTION_TIMEOUT_MS', env.DATABASE_CONNECTION_TIMEOUT_MS, 100, 600_000),
    devTokens: env.NODE_ENV !== 'production',
    mcpToolPrefix: parseToolPrefix(env.MCP_TOOL_PREFIX),
  };
}

function parseInteger(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got '${value}'`);
  return n;
}

function optionalInteger(name: string, value: string | undefined, min: number, max: number): number | undefined {
  return value === undefined || value === '' ? undefined : parseInteger(name, value, min, min, max);
}

function parseRolePrefix(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!ROLE_PREFIX_PATTERN.test(value))
    throw new ConfigError(`EVENT_STORE_ROLE_PREFIX must be a lower-case SQL identifier of at most 41 characters, got '${value}'`);
  return value;
}

/** Tool names must stay within MCP's [A-Za-z0-9_.-]{1,128}; a prefix of letters, digits and `_` keeps them snake_case. */
export function parseToolPrefix(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^[a-z][a-z0-9_]{0,39}$/.test(value))
    throw new ConfigError(`MCP_TOOL_PREFIX must be lower-case letters, digits and _ (at most 40, starting with a letter), got '${value}'`);
  return value;
}
