import { ConfigError } from './config.error';
import { DEFAULT_TOKEN_LIFETIME, lifetimeViolation, loadTokenLifetime } from './token-lifetime';

describe('loadTokenLifetime', () => {
  it('defaults to a 24 h maximum lifetime and a 30 s clock skew', () => {
    expect(loadTokenLifetime({})).toEqual({ maxLifetimeSeconds: 86400, clockSkewSeconds: 30 });
  });

  it('reads seconds or a duration with a unit', () => {
    expect(loadTokenLifetime({ JWT_MAX_LIFETIME: '3600', JWT_CLOCK_SKEW: '0' })).toEqual({ maxLifetimeSeconds: 3600, clockSkewSeconds: 0 });
    expect(loadTokenLifetime({ JWT_MAX_LIFETIME: '90m' }).maxLifetimeSeconds).toBe(5400);
    expect(loadTokenLifetime({ JWT_MAX_LIFETIME: '7d' }).maxLifetimeSeconds).toBe(7 * 86400);
  });

  it.each([
    ['JWT_MAX_LIFETIME', '0'],
    ['JWT_MAX_LIFETIME', '-5'],
    ['JWT_MAX_LIFETIME', '1y'],
    ['JWT_MAX_LIFETIME', '400d'],
    ['JWT_CLOCK_SKEW', '301'],
    ['JWT_CLOCK_SKEW', 'soon'],
  ])('rejects %s=%s with a ConfigError naming the variable', (name, value) => {
    expect(() => loadTokenLifetime({ [name]: value })).toThrow(ConfigError);
    expect(() => loadTokenLifetime({ [name]: value })).toThrow(name);
  });
});

describe('lifetimeViolation', () => {
  const now = 1_800_000_000;
  const policy = { maxLifetimeSeconds: 3600, clockSkewSeconds: 30 };

  it('accepts a token within its lifetime, and one expired less than the skew ago', () => {
    expect(lifetimeViolation({ iat: now - 60, exp: now + 3000 }, policy, now)).toBeUndefined();
    expect(lifetimeViolation({ iat: now - 3600, exp: now - 10 }, policy, now)).toBeUndefined();
    expect(lifetimeViolation({ iat: now + 20, exp: now + 3620 }, policy, now)).toBeUndefined();
  });

  it.each([
    ['a token without exp', { iat: now }, 'Token has no exp claim'],
    ['a token with a non-numeric exp', { iat: now, exp: String(now + 60) }, 'Token has no exp claim'],
    ['a token without iat', { exp: now + 60 }, 'Token has no iat claim'],
    ['a token issued beyond the skew in the future', { iat: now + 31, exp: now + 600 }, 'Token issued in the future (iat)'],
    ['a token living longer than the maximum', { iat: now, exp: now + 3601 }, 'Token lifetime (exp - iat) exceeds the maximum of 3600 s'],
    ['a token expired beyond the skew', { iat: now - 600, exp: now - 30 }, 'Token expired'],
    ['a payload that is not an object', 'sub', 'Token payload is not an object'],
  ])('rejects %s', (_, claims, reason) => {
    expect(lifetimeViolation(claims, policy, now)).toBe(reason);
  });

  it('keeps the defaults exported for the guard', () => {
    expect(DEFAULT_TOKEN_LIFETIME).toEqual({ maxLifetimeSeconds: 86400, clockSkewSeconds: 30 });
  });
});
