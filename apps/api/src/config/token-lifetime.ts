import { ConfigError } from './config.error';

/** How long a bearer token may live, and how far clocks may disagree. */
export interface TokenLifetimePolicy {
  /** Largest `exp - iat`, in seconds. @default 86400 (24 h) */
  maxLifetimeSeconds: number;
  /** Tolerated clock difference with the issuer, in seconds, for `exp`, `nbf` and `iat`. @default 30 */
  clockSkewSeconds: number;
}

/** Defaults of JWT_MAX_LIFETIME and JWT_CLOCK_SKEW. */
export const DEFAULT_TOKEN_LIFETIME: TokenLifetimePolicy = { maxLifetimeSeconds: 24 * 3600, clockSkewSeconds: 30 };

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/**
 * Reads JWT_MAX_LIFETIME (seconds, or with a unit: `90m`, `24h`, `7d`; 1 s to
 * 365 d) and JWT_CLOCK_SKEW (seconds, 0 to 300).
 * @throws ConfigError on an invalid value
 */
export function loadTokenLifetime(env: NodeJS.ProcessEnv): TokenLifetimePolicy {
  return {
    maxLifetimeSeconds: parseDuration('JWT_MAX_LIFETIME', env.JWT_MAX_LIFETIME, DEFAULT_TOKEN_LIFETIME.maxLifetimeSeconds, 1, 365 * 86400),
    clockSkewSeconds: parseDuration('JWT_CLOCK_SKEW', env.JWT_CLOCK_SKEW, DEFAULT_TOKEN_LIFETIME.clockSkewSeconds, 0, 300),
  };
}

function parseDuration(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const match = /^(\d+)([smhd]?)$/.exec(value.trim());
  const seconds = match ? Number(match[1]) * UNIT_SECONDS[match[2] || 's'] : NaN;
  if (!Number.isSafeInteger(seconds) || seconds < min || seconds > max) {
    throw new ConfigError(`${name} must be a duration from ${min} to ${max} seconds (e.g. 3600, 90m, 24h), got '${value}'`);
  }
  return seconds;
}

/**
 * Why verified claims break the lifetime policy, or undefined when they keep
 * it. `exp` and `iat` are both required: without `exp` a token never expires,
 * and without `iat` its lifetime cannot be checked. An `iat` ahead of the
 * clock (beyond the skew) is refused, since it would stretch the lifetime.
 * Expiry itself is checked by the JWT verifier with the same skew.
 */
export function lifetimeViolation(claims: unknown, policy: TokenLifetimePolicy, nowSeconds: number): string | undefined {
  if (typeof claims !== 'object' || claims === null) return 'Token payload is not an object';
  const { exp, iat } = claims as Record<string, unknown>;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return 'Token has no exp claim';
  if (typeof iat !== 'number' || !Number.isFinite(iat)) return 'Token has no iat claim';
  if (iat > nowSeconds + policy.clockSkewSeconds) return 'Token issued in the future (iat)';
  if (exp - iat > policy.maxLifetimeSeconds) return `Token lifetime (exp - iat) exceeds the maximum of ${policy.maxLifetimeSeconds} s`;
  if (exp + policy.clockSkewSeconds <= nowSeconds) return 'Token expired';
  return undefined;
}
