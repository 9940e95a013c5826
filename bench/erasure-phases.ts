import { EventStoreService, NewDomainEvent } from '@nest-event-store/core';
import { BenchContext } from './context';
import { ResultRow, storeBelow } from './report';
import { fmt, msSince, now, rate } from './stats';

const DPO = { reason: 'bench erasure', requestedBy: 'bench' };
/** How long the other tenant's reader runs alone first, for its stall without erasure. */
const IDLE_READER_MS = 2000;

/** `count` events tagged with one subject (every 4th through `subjectIds`), spread over 100 streams. */
function tagged(runId: string, subjectId: string, count: number, offset: number): NewDomainEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    aggregateType: 'Customer',
    aggregateId: `erase-${runId}-${(offset + i) % 100}`,
    eventType: 'CustomerNoted',
    data: { note: `note ${offset + i} about a person`, email: 'someone@example.com' },
    metadata: (offset + i) % 4 ? { subjectId } : { subjectIds: ['someone-else', subjectId] },
  }));
}

/**
 * A reader of another tenant: appends one event, then polls the gap-safe read
 * (getEventsSince) until the event shows, and records how long a committed
 * event stayed invisible. Runs until `stop()` is true; returns every stall.
 */
async function otherTenantReader(store: EventStoreService, tenantId: string, stop: () => boolean): Promise<number[]> {
  const stalls: number[] = [];
  let i = 0;
  while (!stop()) {
    const [event] = await store.appendEvents(
      [{ aggregateType: 'Probe', aggregateId: `probe-${i++ % 10}`, eventType: 'ProbeWritten', data: { i } }],
      tenantId,
    );
    const committed = now();
    const since = { position: (BigInt(event.globalPosition) - 1n).toString() };
    while ((await store.getEventsSince(tenantId, since, { limit: 1 })).length === 0) await new Promise((r) => setImmediate(r));
    stalls.push(msSince(committed));
  }
  return stalls;
}

/**
 * Phase 9: erasure of one subject's events (3 appends of a third each, then
 * ANALYZE, then eraseSubject; once more for a tenant appended after ANALYZE), while a reader of another tenant measures how
 * long its fresh events stay invisible. Baseline column of the stall rows:
 * the same reader's longest stall with no erasure running.
 */
export async function erasure(ctx: BenchContext, runId: string): Promise<ResultRow[]> {
  const { store, baseline } = ctx;
  const [small, large] = ctx.config.quick ? [1_500, 3_000] : [15_000, 30_000];
  // The last case analyzes first and then appends to a new tenant: the
  // planner has never seen that tenant (the plan-stability case).
  const cases = [
    { total: small, tenant: `bench-erase-${runId}`, analyzeFirst: false },
    { total: large, tenant: `bench-erase-${runId}`, analyzeFirst: false },
    { total: large, tenant: `bench-erase-unseen-${runId}`, analyzeFirst: true },
  ];
  const readerTenant = `bench-erase-reader-${runId}`;
  const rows: ResultRow[] = [];
  for (const { total, tenant, analyzeFirst } of cases) {
    const subjectId = `subject-${total}-${tenant}`;
    const third = total / 3;
    if (analyzeFirst) await baseline.pool.query('ANALYZE stored_domain_events');
    for (let k = 0; k < 3; k++) {
      const events = tagged(runId, subjectId, third, k * third);
      for (let i = 0; i < events.length; i += 1000) await store.appendEvents(events.slice(i, i + 1000), tenant);
    }
    if (!analyzeFirst) await baseline.pool.query('ANALYZE stored_domain_events');

    let idle = false;
    const start = now();
    const idleStalls = await otherTenantReader(store, readerTenant, () => (idle ||= msSince(start) > IDLE_READER_MS));

    let done = false;
    const reader = otherTenantReader(store, readerTenant, () => done);
    const t0 = now();
    let chunks = 0;
    const result = await store
      .eraseSubject(subjectId, tenant, DPO, { onProgress: (p) => (chunks = p.chunks) })
      .finally(() => (done = true));
    const ms = msSince(t0);
    const stalls = await reader;
    if (result.redactedEvents !== total) throw new Error(`erasure redacted ${result.redactedEvents} of ${total} events`);

    const longest = Math.max(...stalls);
    console.log(
      `  ${fmt(total)} events${analyzeFirst ? ' of a tenant appended after ANALYZE' : ''}: ${chunks} chunks; reader of another tenant: ${stalls.length} probes, longest stall ${fmt(longest)} ms (alone: ${fmt(Math.max(...idleStalls))} ms)`,
    );
    const phase = `9 erasure ${total / 1000}k${analyzeFirst ? ', unseen tenant' : ''}`;
    rows.push(
      { phase, metric: `erase ${fmt(total)} events of one subject`, unit: 's', store: ms / 1000, baseline: NaN },
      { phase, metric: 'erasure rate', unit: 'events/s', store: rate(total, ms), baseline: NaN },
      {
        phase,
        metric: "longest stall of another tenant's reader",
        unit: 'ms',
        store: longest,
        baseline: Math.max(...idleStalls),
        target: storeBelow(1000, 'ms'),
      },
    );
  }
  return rows;
}
