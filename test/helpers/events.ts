import { randomUUID } from 'node:crypto';
import { TestApp } from './test-app';

/** One event of an append body. */
export interface EventInput {
  eventId?: string;
  eventType?: string;
  eventVersion?: number;
  occurredAt?: string;
  data?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
}

/** The JSON of a stored event as the API returns it. */
export type EventJson = Record<string, any>;

/** Appends through POST /api/aggregates/:id/events and expects 201; returns the stored events. */
export async function appendVia(
  t: TestApp,
  token: string,
  aggregateId: string,
  events: EventInput[],
  options: { aggregateType?: string; expectedVersion?: unknown } = {},
): Promise<EventJson[]> {
  const res = await t
    .http()
    .post(`/api/aggregates/${encodeURIComponent(aggregateId)}/events`)
    .set('Authorization', `Bearer ${token}`)
    .send({
      aggregateType: options.aggregateType ?? 'Requirement',
      ...(options.expectedVersion === undefined ? {} : { expectedVersion: options.expectedVersion }),
      events: events.map((e) => ({ eventType: 'RequirementCreated', data: {}, ...e })),
    });
  if (res.status !== 201) throw new Error(`append failed: ${res.status} ${JSON.stringify(res.body)}`);
  await t.settle();
  return res.body.events;
}

/** A random aggregate id, so tests in one file never share streams by accident. */
export function newAggregateId(prefix = 'agg'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** GET with a bearer token. */
export function getAs(t: TestApp, token: string, path: string) {
  return t.http().get(path).set('Authorization', `Bearer ${token}`);
}

/** POST JSON with a bearer token. */
export function postAs(t: TestApp, token: string, path: string, body: unknown) {
  return t
    .http()
    .post(path)
    .set('Authorization', `Bearer ${token}`)
    .send(body as object);
}

/** Follows nextCursor until the end; returns every item and the number of pages. */
export async function readAllPages(t: TestApp, token: string, query: string): Promise<{ items: EventJson[]; pages: number }> {
  const items: EventJson[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const res = await getAs(t, token, `/api/events?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    if (res.status !== 200) throw new Error(`page failed: ${res.status} ${JSON.stringify(res.body)}`);
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
    pages++;
  } while (cursor);
  return { items, pages };
}
