import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { BenchContext } from './context';
import { ResultRow, storeBelow } from './report';
import { msSince, now, percentile } from './stats';

/** The seed budgets of issue 11 for the MCP tools. */
const EMIT_BUDGET_MS = 10;
const QUERY_BUDGET_MS = 100;
const QUERY_PAGE = 100;

/**
 * Phase 13: the MCP tools through the stdio transport, as an agent calls
 * them: `npm run --silent mcp` on the bench database, the SDK's client.
 * `emit_event` latency (one event per call, one stream) and `query_events`
 * of a 100-event page, each against the same operation on the in-process
 * store as the baseline (what the protocol, the child process and the JSON
 * add), judged by the budgets (< 10 ms, < 100 ms).
 */
export async function mcpTools(ctx: BenchContext, databaseUrl: string, runId: string): Promise<ResultRow[]> {
  const { warmup, count } = ctx.config.quick ? { warmup: 20, count: 200 } : { warmup: 100, count: 1000 };
  const queries = ctx.config.quick ? 20 : 100;
  const tenant = `bench-mcp-${runId}`;
  const env = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
  const transport = new StdioClientTransport({
    command: 'npm',
    args: ['run', '--silent', 'mcp', '--', '--tenant', tenant],
    cwd: join(__dirname, '..'),
    env: { ...env, DATABASE_URL: databaseUrl, JWT_SECRET: randomBytes(32).toString('hex'), LOG_LEVEL: 'warn' },
    stderr: 'inherit',
  });
  const client = new Client({ name: 'bench', version: '1.0.0' });
  const bootStart = now();
  await client.connect(transport, { timeout: 300_000 });
  console.log(`  (npm run mcp ready in ${(msSince(bootStart) / 1000).toFixed(1)} s)`);
  try {
    const call = async (name: string, args: Record<string, unknown>): Promise<void> => {
      const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
      if (result.isError) throw new Error(`${name}: ${JSON.stringify(result.content)}`);
    };
    const timed = async (n: number, op: (i: number) => Promise<unknown>): Promise<number[]> => {
      const latencies: number[] = [];
      for (let i = 0; i < n; i++) {
        const t = now();
        await op(i);
        latencies.push(msSince(t));
      }
      return latencies;
    };
    const emitArgs = (stream: string, i: number) => ({
      aggregate_type: 'AgentJob',
      aggregate_id: stream,
      event_type: 'JobProgressed',
      data: { step: i, note: `step ${i} of the bench task` },
    });
    await timed(warmup, (i) => call('emit_event', emitArgs('mcp-warmup', i)));
    const viaMcp = await timed(count, (i) => call('emit_event', emitArgs('mcp-emit', i)));
    const direct = await timed(count, (i) => {
      const a = emitArgs('direct-emit', i);
      return ctx.store.appendEvent(
        { aggregateType: a.aggregate_type, aggregateId: a.aggregate_id, eventType: a.event_type, data: a.data },
        tenant,
      );
    });
    // Pages of 100 of the stream just written (at least `count` >= 100 events).
    await timed(3, () => call('query_events', { aggregate_id: 'mcp-emit', limit: QUERY_PAGE }));
    const queryMcp = await timed(queries, () => call('query_events', { aggregate_id: 'mcp-emit', limit: QUERY_PAGE }));
    const queryDirect = await timed(queries, () =>
      ctx.store.queryEvents(tenant, { aggregateId: 'mcp-emit' }, { limit: QUERY_PAGE, includeTotal: true }),
    );
    const row = (metric: string, mcp: number[], base: number[], p: number, budget: number): ResultRow => ({
      phase: '13 MCP stdio',
      metric,
      unit: 'ms',
      store: percentile(mcp, p),
      baseline: percentile(base, p),
      target: storeBelow(budget, 'ms'),
    });
    return [
      row('emit_event p50', viaMcp, direct, 50, EMIT_BUDGET_MS),
      row('emit_event p99', viaMcp, direct, 99, EMIT_BUDGET_MS),
      row(`query_events ${QUERY_PAGE} p50`, queryMcp, queryDirect, 50, QUERY_BUDGET_MS),
      row(`query_events ${QUERY_PAGE} p99`, queryMcp, queryDirect, 99, QUERY_BUDGET_MS),
    ];
  } finally {
    await client.close();
  }
}
