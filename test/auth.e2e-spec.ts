import { createHmac } from 'node:crypto';
import { describeEachBackend } from '@nest-event-store/core/testing';
import { signToken } from '../apps/api/src/common/auth/sign-token';
import { TestApp, openTestApp } from './helpers/test-app';

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Builds an HS256 token by hand, to send claims signToken would never produce. */
function handMadeToken(secret: string, payload: Record<string, unknown>, header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' }): string {
  const unsigned = `${b64(header)}.${b64(payload)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;

/** Every protected route with the role it needs and a body that would be valid. */
const ROUTES: { method: 'get' | 'post'; path: string; role: string; body?: object }[] = [
  { method: 'post', path: '/api/aggregates/auth-1/events', role: 'writer', body: { aggregateType: 'Requirement', events: [{ eventType: 'RequirementCreated', data: {} }] } },
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
    const req = route.method === 'get' ? t.http().get(route.path) : t.http().post(route.path).send(route.body ?? {});
    return authorization === undefined ? req : req.set('Authorization', authorization);
  };

  it.each(ROUTES.map((r) => [`${r.method.toUpperCase()} ${r.path}`, r] as const))('%s answers 401 without a token', async (_, route) => {
    const res = await call(route);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: expect.any(String) });
  });

  it.each(ROUTES.map((r) => [`${r.method.toUpperCase()} ${r.path}`, r] as const))('%s answers 403 for a valid token without its role', async (_, route) => {
    const otherRoles = (['auditor', 'writer', 'dpo'] as const).filter((r) => r !== route.role);
    const res = await call(route, `Bearer ${t.token('acme', [...otherRoles])}`);
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ statusCode: 403, error: 'Forbidden', message: expect.stringContaining(route.role) });
  });

  it.each(ROUTES.map((r) => [`${r.method.toUpperCase()} ${r.path}`, r] as const))('%s lets its role through', async (_, route) => {
    const res = await call(route, `Bearer ${t.token('acme', [route.role as 'auditor'])}`);
    expect([200, 201, 404]).toContain(res.status);
  });

  const rejected: [string, () => string][] = [
    ['a malformed header', () => 'Bearer not-a-jwt'],
    ['another scheme', () => `Basic ${Buffer.from('a:b').toString('base64')}`],
    ['a token without the Bearer scheme', () => t.token('acme')],
    ['a token signed with another secret', () => `Bearer ${signToken({ secret: 'forged-secret-0123456789', tenantId: 'acme', roles: ['auditor'] })}`],
    ['an expired token', () => `Bearer ${handMadeToken(t.config.jwtSecret, { sub: 'alice', tenant_id: 'acme', roles: ['auditor'], exp: Math.floor(Date.now() / 1000) - 10 })}`],
    ['a token without tenant_id', () => `Bearer ${handMadeToken(t.config.jwtSecret, { sub: 'alice', roles: ['auditor'], exp: inAnHour() })}`],
    ['a token with an invalid tenant_id', () => `Bearer ${handMadeToken(t.config.jwtSecret, { sub: 'alice', tenant_id: '../other tenant', roles: ['auditor'], exp: inAnHour() })}`],
    ['a token with a non-string tenant_id', () => `Bearer ${handMadeToken(t.config.jwtSecret, { sub: 'alice', tenant_id: ['acme'], roles: ['auditor'], exp: inAnHour() })}`],
    ['a token without sub', () => `Bearer ${handMadeToken(t.config.jwtSecret, { tenant_id: 'acme', roles: ['auditor'], exp: inAnHour() })}`],
    ['a token whose roles are not an array', () => `Bearer ${handMadeToken(t.config.jwtSecret, { sub: 'alice', tenant_id: 'acme', roles: 'auditor', exp: inAnHour() })}`],
    ['an unsigned alg=none token', () => `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'alice', tenant_id: 'acme', roles: ['auditor'], exp: inAnHour() })}.`],
    ['an HS512 token with the right secret', () => `Bearer ${signToken({ secret: t.config.jwtSecret, tenantId: 'acme', roles: ['auditor'] }).replace(/^[^.]+/, b64({ alg: 'HS512', typ: 'JWT' }))}`],
    ['a token with a tampered payload', () => {
      const [h, , s] = t.token('acme', ['writer']).split('.');
      return `Bearer ${h}.${b64({ sub: 'alice', tenant_id: 'acme', roles: ['auditor', 'writer', 'dpo'], exp: inAnHour() })}.${s}`;
    }],
  ];

  it.each(rejected)('answers 401 for %s', async (_, authorization) => {
    const res = await t.http().get('/api/events').set('Authorization', authorization());
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
  });

  it('says "Token expired" for an expired token', async () => {
    const token = handMadeToken(t.config.jwtSecret, { sub: 'alice', tenant_id: 'acme', roles: ['auditor'], exp: Math.floor(Date.now() / 1000) - 10 });
    const res = await t.http().get('/api/events').set('Authorization', `Bearer ${token}`);
    expect(res.body.message).toBe('Token expired');
  });

  it('accepts a hand-made token with the right secret and ignores unknown roles', async () => {
    const token = handMadeToken(t.config.jwtSecret, { sub: 'alice', tenant_id: 'acme', roles: ['auditor', 'superuser'], exp: inAnHour() });
    expect((await t.http().get('/api/events').set('Authorization', `Bearer ${token}`)).status).toBe(200);
    const writer = handMadeToken(t.config.jwtSecret, { sub: 'alice', tenant_id: 'acme', roles: ['superuser'], exp: inAnHour() });
    expect((await t.http().get('/api/events').set('Authorization', `Bearer ${writer}`)).status).toBe(403);
  });

  it('needs no token for health, metrics and docs', async () => {
    for (const path of ['/api/health', '/api/metrics', '/api/docs-json']) {
      expect((await t.http().get(path)).status).toBe(200);
    }
  });
});
