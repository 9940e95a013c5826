import { randomUUID } from 'node:crypto';
import { appendVia, getAs, newAggregateId } from './helpers/events';
import { TestApp, openTestApp } from './helpers/test-app';

interface OpenApiResponse {
  description?: string;
  headers?: Record<string, unknown>;
  content?: Record<string, { schema?: { $ref?: string } }>;
}
interface OpenApiSchema {
  required?: string[];
  properties?: Record<string, unknown>;
}
interface OpenApiDocument {
  paths: Record<string, Record<string, { responses: Record<string, OpenApiResponse> }>>;
  components: { schemas: Record<string, OpenApiSchema> };
}

const WRITE = [400, 401, 403, 404, 409, 413, 422, 503];
const LOAD = [400, 401, 403, 404, 422, 503];

// Every error status each route can answer with (mapError, the guards, the
// domain filter). A new route fails this test until it documents its errors.
const EXPECTED: Record<string, number[]> = {
  'post /api/aggregates/{aggregateId}/events': [400, 401, 403, 409, 413, 503],
  'get /api/aggregates/{aggregateId}/events': [400, 401, 403, 404, 503],
  'get /api/events': [400, 401, 403, 503],
  'get /api/events/stats': [400, 401, 403, 503],
  'get /api/events/{eventId}': [400, 401, 403, 404, 503],
  'get /api/event-types': [401, 403, 503],
  'post /api/events/{eventId}/redaction': [400, 401, 403, 404, 413, 503],
  'post /api/gdpr/erasure-requests': [400, 401, 403, 413, 503],
  'post /api/requirements': [400, 401, 403, 413, 503],
  'get /api/requirements/board': [401, 403, 503],
  'get /api/requirements/{id}': LOAD,
  'get /api/requirements/{id}/history': LOAD,
  'patch /api/requirements/{id}': WRITE,
  'post /api/requirements/{id}/approval': WRITE,
  'post /api/requirements/{id}/rejection': WRITE,
  'post /api/releases': [400, 401, 403, 413, 503],
  'get /api/releases/{id}': LOAD,
  'post /api/releases/{id}/requirements': WRITE,
  'post /api/releases/{id}/shipment': WRITE,
  'get /api/agents': [400, 401, 403, 503],
  'get /api/agents/event-types': [400, 401, 403, 503],
  'get /api/agents/{id}': [401, 403, 404, 503],
  'get /api/tasks': [400, 401, 403, 503],
  'get /api/tasks/stats': [400, 401, 403, 503],
  'get /api/tasks/{id}': [401, 403, 404, 503],
  'get /api/memory': [400, 401, 403, 503],
  'get /api/memory/{namespace}': [400, 401, 403, 404, 503],
  'get /api/events/{eventId}/as-stored': [401, 403, 404, 503],
  'get /api/delivery/subscriptions': [401, 403, 503],
  'get /api/delivery/dead-letters': [400, 401, 403, 404, 503],
  'post /api/delivery/dead-letters/retry': [400, 401, 403, 404, 413, 503],
  // Public; its 503 is Terminus' health report, not the error body.
  'get /api/health': [],
};

describe('the OpenAPI document (/api/docs-json) lists every error answer', () => {
  let t: TestApp;
  let doc: OpenApiDocument;
  const schemaOf = (response: OpenApiResponse): OpenApiSchema => {
    const ref = response.content?.['application/json']?.schema?.$ref ?? '';
    return doc.components.schemas[ref.replace('#/components/schemas/', '')] ?? {};
  };
  const errorResponses = (route: string): [number, OpenApiResponse][] => {
    const [method, path] = route.split(' ');
    return Object.entries(doc.paths[path][method].responses)
      .map(([status, r]) => [Number(status), r] as [number, OpenApiResponse])
      .filter(([status]) => status >= 400 && route !== 'get /api/health');
  };

  beforeAll(async () => {
    t = await openTestApp('embedded');
    doc = (await t.http().get('/api/docs-json')).body as OpenApiDocument;
  });
  afterAll(() => t?.close());

  it('documents exactly the expected error statuses on every route', () => {
    const documented = Object.fromEntries(
      Object.entries(doc.paths).flatMap(([path, methods]) =>
        Object.keys(methods).map((method) => [
          `${method} ${path}`,
          errorResponses(`${method} ${path}`)
            .map(([s]) => s)
            .sort(),
        ]),
      ),
    );
    expect(documented).toEqual(EXPECTED);
    const all = new Set(Object.values(EXPECTED).flat());
    for (const status of [400, 401, 403, 404, 409, 413, 422, 503]) expect(all).toContain(status);
  });

  it('gives each error answer the error body schema { statusCode, error, message }', () => {
    for (const route of Object.keys(EXPECTED)) {
      for (const [status, response] of errorResponses(route)) {
        const schema = schemaOf(response);
        expect({ route, status, required: schema.required }).toEqual({
          route,
          status,
          required: expect.arrayContaining(['statusCode', 'error', 'message']),
        });
        expect(response.description).toBeTruthy();
      }
    }
  });

  it('names the versions of a 409 conflict, the fields of a 422 and Retry-After on a 503', () => {
    const [, conflict] = errorResponses('post /api/aggregates/{aggregateId}/events').find(([s]) => s === 409)!;
    expect(Object.keys(schemaOf(conflict).properties ?? {})).toEqual(
      expect.arrayContaining(['expectedVersion', 'actualVersion', 'aggregateId', 'eventId']),
    );
    const [, unknownType] = errorResponses('get /api/requirements/{id}').find(([s]) => s === 422)!;
    expect(schemaOf(unknownType).required).toEqual(
      expect.arrayContaining(['aggregateType', 'aggregateId', 'eventType', 'aggregateVersion']),
    );
    const [, unavailable] = errorResponses('get /api/events').find(([s]) => s === 503)!;
    expect(Object.keys(unavailable.headers ?? {})).toEqual(['Retry-After']);
  });

  it('describes every field of real 404 and 409 answers', async () => {
    const token = t.token('acme');
    const properties = (route: string, status: number) =>
      Object.keys(schemaOf(errorResponses(route).find(([s]) => s === status)![1]).properties ?? {});

    const missing = await getAs(t, token, `/api/events/${randomUUID()}`);
    expect(missing.status).toBe(404);
    expect(properties('get /api/events/{eventId}', 404)).toEqual(expect.arrayContaining(Object.keys(missing.body)));

    const id = newAggregateId();
    await appendVia(t, token, id, [{}]);
    const stale = await t
      .http()
      .post(`/api/aggregates/${id}/events`)
      .set('Authorization', `Bearer ${token}`)
      .send({ aggregateType: 'Requirement', expectedVersion: 0, events: [{ eventType: 'RequirementCreated', data: {} }] });
    expect(stale.status).toBe(409);
    expect(properties('post /api/aggregates/{aggregateId}/events', 409)).toEqual(expect.arrayContaining(Object.keys(stale.body)));
  });
});
