import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describeEachBackend } from '@nest-event-store/core/testing';
import { signToken } from '../apps/api/src/common/auth/sign-token';
import { TestApp, openTestApp } from './helpers/test-app';

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Builds an HS256 token by hand, to send claims signToken would never produce. */
function handMadeToken(
  secret: string,
  payload: Record<string, unknown>,
  header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' },
): string {
  const unsigned = `${b64(header)}.${b64(payload)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);
const inAnHour = () => nowSeconds() + 3600;

/** Every protected route with the role it needs and a body that would be valid. */
const ROUTES: { method: 'get' | 'post'; path: string; role: string; body?: object }[] = [
  {
    method: 'post',
    path: '/api/aggregates/auth-1/events',
    role: 'writer',
    body: { aggregateType: 'Requirement', events: [{ eventType: 'RequirementCreated', data: {} }] },
  },
  { method: 'get', path: '/api/aggregates/auth-1/events', role: 'auditor' },
  { method: 'get', path: '/api/events', role: 'auditor' },
  { method: 'get', path: '/api/events/stats', role: 'auditor' },
  { method: 'get', path: '/api/events/00000000-0000-4000-8000-000000000000', role: 'auditor' },
  { method: 'get', path: '/api/event-types', role: 'auditor' },
  { method: 'post', path: '/api/events/00000000-0000-4000-8000-000000000000/redaction', role: 'dpo', body: { reason: 'r' } },
  { method: 'post', path: '/api/gdpr/erasure-requests', role: 'dpo', body: { subjectId: 's', reason: 'r' } },
];

describeEachBackend('authentication and roles', (mode) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp(mode);
  });
  afterAll(() => t?.close());

  const call = (route: (typeof ROUTES)[number], authorization?: string) => {
    const req =
      route.method === 'get'
        ? t.http().get(route.path)
        : t
            .http()
            .post(route.path)
            .send(route.body ?? {});
    return authorization === undefined ? req : req.set('Authorization', authorization);
  };

  it.each(ROUTES.map((r) => [`${r.method.toUpperCase()} ${r.path}`, r] as const))('%s answers 401 without a token', async (_, route) => {
    const res = await call(route);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: expect.any(String) });
  });

  it.each(ROUTES.map((r) => [`${r.method.toUpperCase()} ${r.path}`, r] as const))(
    '%s answers 403 for a valid token without its role',
    async (_, route) => {
      const otherRoles = (['auditor', 'writer', 'dpo'] as const).filter((r) => r !== route.role);
      const res = await call(route, `Bearer ${t.token('acme', [...otherRoles])}`);
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ statusCode: 403, error: 'Forbidden', message: expect.stringContaining(route.role) });
    },
  );

  it.each(ROUTES.map((r) => [`${r.method.toUpperCase()} ${r.path}`, r] as const))('%s lets its role through', async (_, route) => {
    const res = await call(route, `Bearer ${t.token('acme', [route.role as 'auditor'])}`);
    expect([200, 201, 404]).toContain(res.status);
  });

  const rejected: [string, () => string][] = [
    ['a malformed header', () => 'Bearer not-a-jwt'],
    ['another scheme', () => `Basic ${Buffer.from('a:b').toString('base64')}`],
    ['a token without the Bearer scheme', () => t.token('acme')],
    [
      'a token signed with another secret',
      () => `Bearer ${signToken({ secret: 'forged-secret-0123456789', tenantId: 'acme', roles: ['auditor'] })}`,
    ],
    [
      'an expired token',
      () =>
        `Bearer ${handMadeToken(t.config.jwtSecret, { sub: 'alice', tenant_id: 'acme', roles: ['auditor'], iat: nowSeconds() - 600, exp: nowSeconds() - 60 })}`,
    ],
    [
      'a token without tenant_id',
      () => `Bearer ${handMadeToken(t.config.jwtSecret, { sub: 'alice', roles: ['auditor'], iat: nowSeconds(), exp: inAnHour() })}`,
    ],
    [
      'a token with an invalid tenant_id',
      () =>
        `Bearer ${handMadeToken(t.config.jwtSecret, { sub: 'alice', tenant_id: '../other tenant', roles: ['auditor'], iat: nowSeconds(), exp: inAnHour() })}`,
    ],
    [
      'a token with a non-string tenant_id',
      () =>
        `Bearer ${handMadeToken(t.config.jwtSecret, { sub: 'alice', tenant_id: ['acme'], roles: ['auditor'], iat: nowSeconds(), exp: inAnHour() })}`,
    ],
    [
      'a token without sub',
      () => `Bearer ${handMadeToken(t.config.jwtSecret, { tenant_id: 'acme', roles: ['auditor'], iat: nowSeconds(), exp: inAnHour() })}`,
    ],
    [
      'a token whose roles are not an array',
      () =>
        `Bearer ${handMadeToken(t.config.jwtSecret, { sub: 'alice', tenant_id: 'acme', roles: 'auditor', iat: nowSeconds(), exp: inAnHour() })}`,
    ],
    [
      'an unsigned alg=none token',
      () =>
        `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'alice', tenant_id: 'acme', roles: ['auditor'], iat: nowSeconds(), exp: inAnHour() })}.`,
    ],
    [
      'an HS512 token with the right secret',
      () =>
        `Bearer ${signToken({ secret: t.config.jwtSecret, tenantId: 'acme', roles: ['auditor'] }).replace(/^[^.]+/, b64({ alg: 'HS512', typ: 'JWT' }))}`,
    ],
    [
      'a token with a tampered payload',
      () => {
        const [h, , s] = t.token('acme', ['writer']).split('.');
        return `Bearer ${h}.${b64({ sub: 'alice', tenant_id: 'acme', roles: ['auditor', 'writer', 'dpo'], iat: nowSeconds(), exp: inAnHour() })}.${s}`;
      },
    ],
  ];

  it.each(rejected)('answers 401 for %s', async (_, authorization) => {
    const res = await t.http().get('/api/events').set('Authorization', authorization());
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
  });

  const claims = { sub: 'alice', tenant_id: 'acme', roles: ['auditor'] };
  const lifetimeRejections: [string, () => Record<string, unknown>, string][] = [
    ['an expired token', () => ({ ...claims, iat: nowSeconds() - 600, exp: nowSeconds() - 60 }), 'Token expired'],
    ['a token without exp, which would never expire', () => ({ ...claims, iat: nowSeconds() }), 'Token has no exp claim'],
    ['a token without iat, whose lifetime cannot be checked', () => ({ ...claims, exp: inAnHour() }), 'Token has no iat claim'],
    [
      'a token living longer than JWT_MAX_LIFETIME (24 h)',
      () => ({ ...claims, iat: nowSeconds(), exp: nowSeconds() + 24 * 3600 + 1 }),
      'Token lifetime (exp - iat) exceeds the maximum of 86400 s',
    ],
    [
      'a token issued in the future beyond the clock skew',
      () => ({ ...claims, iat: nowSeconds() + 120, exp: nowSeconds() + 600 }),
      'Token issued in the future (iat)',
    ],
  ];

  it.each(lifetimeRejections)('answers 401 for %s, with the reason', async (_, payload, reason) => {
    const res = await t
      .http()
      .get('/api/events')
      .set('Authorization', `Bearer ${handMadeToken(t.config.jwtSecret, payload())}`);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: reason });
  });

  it('accepts a token expired less than the clock skew (30 s) ago, and one living exactly the maximum', async () => {
    const justExpired = handMadeToken(t.config.jwtSecret, { ...claims, iat: nowSeconds() - 3600, exp: nowSeconds() - 10 });
    expect((await t.http().get('/api/events').set('Authorization', `Bearer ${justExpired}`)).status).toBe(200);
    const longest = handMadeToken(t.config.jwtSecret, { ...claims, iat: nowSeconds(), exp: nowSeconds() + 24 * 3600 });
    expect((await t.http().get('/api/events').set('Authorization', `Bearer ${longest}`)).status).toBe(200);
  });

  it('accepts a hand-made token with the right secret and ignores unknown roles', async () => {
    const token = handMadeToken(t.config.jwtSecret, {
      sub: 'alice',
      tenant_id: 'acme',
      roles: ['auditor', 'superuser'],
      iat: nowSeconds(),
      exp: inAnHour(),
    });
    expect((await t.http().get('/api/events').set('Authorization', `Bearer ${token}`)).status).toBe(200);
    const writer = handMadeToken(t.config.jwtSecret, {
      sub: 'alice',
      tenant_id: 'acme',
      roles: ['superuser'],
      iat: nowSeconds(),
      exp: inAnHour(),
    });
    expect((await t.http().get('/api/events').set('Authorization', `Bearer ${writer}`)).status).toBe(403);
  });

  it('accepts a token from `npm run token`, which refuses a lifetime above JWT_MAX_LIFETIME', async () => {
    const root = join(__dirname, '..');
    const cli = (args: string[], env: Record<string, string> = {}) =>
      promisify(execFile)(
        process.execPath,
        ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/api/src/cli/token.ts', ...args],
        {
          cwd: root,
          env: { ...process.env, JWT_SECRET: t.config.jwtSecret, ...env },
        },
      );
    const { stdout } = await cli(['--tenant', 'acme', '--roles', 'auditor', '--expires-in', String(24 * 3600)]);
    expect((await t.http().get('/api/events').set('Authorization', `Bearer ${stdout.trim()}`)).status).toBe(200);
    await expect(cli(['--tenant', 'acme', '--expires-in', '7200'], { JWT_MAX_LIFETIME: '1h' })).rejects.toMatchObject({
      stderr: expect.stringContaining('JWT_MAX_LIFETIME'),
    });
  });

  it('needs no token for health, metrics and docs', async () => {
    for (const path of ['/api/health', '/api/metrics', '/api/docs-json']) {
      expect((await t.http().get(path)).status).toBe(200);
    }
  });
});
