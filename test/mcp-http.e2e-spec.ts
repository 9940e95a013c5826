import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { describeEachBackend } from '@nest-event-store/core/testing';
import { listAgentEventTypes } from '../apps/api/src/agents/catalogue/agent-event-catalogue';
import { MCP_TOOLS } from '../apps/api/src/mcp/mcp-server.factory';
import { ReplayFolds } from '../apps/api/src/mcp/replay-folds';
import { Structured, callError, callOk, connectHttp } from './helpers/mcp';
import { TestApp, openTestApp } from './helpers/test-app';

/**
 * The MCP tools through Streamable HTTP at /api/mcp with the SDK's own
 * client: every tool, the filters and pages of query_events, bad arguments
 * as tool errors, roles, and two tenants that never see each other.
 */
describeEachBackend('MCP over Streamable HTTP (/api/mcp)', (mode) => {
  let t: TestApp;
  let baseUrl: string;
  let acme: Client;
  const clients: Client[] = [];
  const connect = async (tenant: string, roles?: ('auditor' | 'writer' | 'dpo')[]): Promise<Client> => {
    const client = await connectHttp(baseUrl, t.token(tenant, roles));
    clients.push(client);
    return client;
  };
  const emit = async (client: Client, args: Record<string, unknown>): Promise<Structured> => {
    const out = await callOk(client, 'emit_event', { aggregate_type: 'Job', data: {}, ...args });
    await t.settle();
    return out;
  };

  beforeAll(async () => {
    t = await openTestApp(mode);
    await t.app.listen(0, '127.0.0.1');
    baseUrl = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    acme = await connect('acme');
  }, 240_000);
  afterAll(async () => {
    for (const client of clients) await client.close();
    await t?.close();
  });

  it('lists the six tools with input and output JSON Schemas and descriptions', async () => {
    const { tools } = await acme.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(MCP_TOOLS.map((tool) => tool.name));
    expect(tools.map((tool) => tool.name)).toEqual([
      'emit_event',
      'query_events',
      'replay_events',
      'list_event_types',
      'get_event_aggregates',
      'get_latest_events',
    ]);
    for (const tool of tools) {
      expect(tool.description!.length).toBeGreaterThan(80);
      expect(tool.inputSchema.type).toBe('object');
      expect(tool.outputSchema?.type).toBe('object');
    }
    const emitTool = tools.find((tool) => tool.name === 'emit_event')!;
    expect(emitTool.inputSchema.required).toEqual(['aggregate_type', 'aggregate_id', 'event_type', 'data']);
    expect(Object.keys(emitTool.inputSchema.properties!)).toEqual(expect.arrayContaining(['metadata', 'expected_version', 'event_id']));
    expect(Object.keys(tools.find((tool) => tool.name === 'query_events')!.outputSchema!.properties!)).toEqual([
      'events',
      'total_count',
      'has_more',
      'next_cursor',
    ]);
  });

  it('emits an event and reads it back with its envelope', async () => {
    const out = await emit(acme, { aggregate_id: 'task-emit', event_type: 'JobStarted', data: { title: 'write tests' } });
    expect(out).toEqual({
      event_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      aggregate_version: 1,
      global_position: expect.stringMatching(/^\d+$/),
      timestamp: expect.any(String),
    });
    const second = await emit(acme, { aggregate_id: 'task-emit', event_type: 'JobCompleted', data: { ok: true }, expected_version: 1 });
    expect(second.aggregate_version).toBe(2);
    const page = await callOk(acme, 'query_events', { aggregate_id: 'task-emit' });
    expect(page.events.map((e: Structured) => e.event_type)).toEqual(['JobStarted', 'JobCompleted']);
    expect(page.events[0]).toMatchObject({
      event_id: out.event_id,
      aggregate_type: 'Job',
      aggregate_version: 1,
      data: { title: 'write tests' },
      metadata: { userId: 'alice', source: 'mcp:http' },
      is_redacted: false,
    });
  });

  it('filters query_events by types, stream, time range and keyword, and pages with total_count', async () => {
    const client = await connect('filters');
    for (let i = 1; i <= 5; i += 1) {
      await emit(client, {
        aggregate_id: 'job-1',
        event_type: i % 2 ? 'JobTick' : 'JobTock',
        data: { n: i, word: i === 3 ? 'needle' : 'hay' },
      });
    }
    await emit(client, { aggregate_type: 'Bot', aggregate_id: 'bot-1', event_type: 'BotSpawned', data: { name: 'scout' } });
    const q = (args: Record<string, unknown>) => callOk(client, 'query_events', args);
    expect((await q({})).total_count).toBe(6);
    expect((await q({ event_types: ['JobTock'] })).events.map((e: Structured) => e.data.n)).toEqual([2, 4]);
    expect((await q({ event_types: ['JobTock', 'BotSpawned'] })).total_count).toBe(3);
    expect((await q({ aggregate_type: 'Bot' })).events.map((e: Structured) => e.aggregate_id)).toEqual(['bot-1']);
    expect((await q({ aggregate_id: 'job-1' })).total_count).toBe(5);
    expect((await q({ keyword: 'NEEDLE' })).events.map((e: Structured) => e.data.n)).toEqual([3]);
    const all = (await q({})).events as Structured[];
    const third = all[2].occurred_at as string;
    expect((await q({ from: third })).total_count).toBe(4);
    expect((await q({ to: third })).total_count).toBe(2);
    expect((await q({ from: '2099-01-01T00:00:00Z' })).events).toEqual([]);
    // Pages of 2: every event once, in order, total_count on every page.
    const seen: number[] = [];
    let cursor: string | undefined;
    let pages = 0;
    for (;;) {
      const page = await q({ aggregate_id: 'job-1', limit: 2, ...(cursor ? { cursor } : {}) });
      pages += 1;
      expect(page.total_count).toBe(5);
      seen.push(...page.events.map((e: Structured) => e.data.n));
      if (!page.has_more) {
        expect(page.next_cursor).toBeNull();
        break;
      }
      cursor = page.next_cursor;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect((await q({ limit: 1000 })).events).toHaveLength(6);
  });

  it('replays a stream to a version with the shallow merge, or with the fold registered for its type', async () => {
    const client = await connect('replay');
    await emit(client, { aggregate_type: 'Doc', aggregate_id: 'doc-1', event_type: 'DocCreated', data: { title: 'a', pages: 1 } });
    await emit(client, { aggregate_type: 'Doc', aggregate_id: 'doc-1', event_type: 'DocEdited', data: { title: 'b' } });
    await emit(client, { aggregate_type: 'Doc', aggregate_id: 'doc-1', event_type: 'DocEdited', data: { pages: 7, tag: 'x' } });
    const latest = await callOk(client, 'replay_events', { aggregate_type: 'Doc', aggregate_id: 'doc-1' });
    expect(latest).toMatchObject({ final_state: { title: 'b', pages: 7, tag: 'x' }, events_replayed: 3, version: 3 });
    expect(latest.duration_ms).toBeGreaterThanOrEqual(0);
    const atTwo = await callOk(client, 'replay_events', { aggregate_type: 'Doc', aggregate_id: 'doc-1', to_version: 2 });
    expect(atTwo).toMatchObject({ final_state: { title: 'b', pages: 1 }, events_replayed: 2, version: 2 });

    t.app.get(ReplayFolds).register('Counter', (state, event) => ({ total: Number(state.total ?? 0) + Number(event.data.by) }));
    for (const by of [2, 3, 5]) await emit(client, { aggregate_type: 'Counter', aggregate_id: 'c-1', event_type: 'Added', data: { by } });
    const counter = await callOk(client, 'replay_events', { aggregate_type: 'Counter', aggregate_id: 'c-1', to_version: 2 });
    expect(counter).toMatchObject({ final_state: { total: 5 }, events_replayed: 2 });

    expect(await callError(client, 'replay_events', { aggregate_type: 'Doc', aggregate_id: 'doc-1', to_version: 4 })).toMatch(
      /to_version: must be at most 3/,
    );
    expect(await callError(client, 'replay_events', { aggregate_type: 'Doc', aggregate_id: 'nope' })).toMatch(/^Not found/);
    expect(await callError(client, 'replay_events', { aggregate_type: 'Invoice', aggregate_id: 'doc-1' })).toMatch(/^Not found/);
    expect(await callError(client, 'replay_events', { aggregate_type: 'Doc', aggregate_id: 'doc-1', to_version: 0 })).toMatch(/to_version/);
  });

  it('lists event types by category (the agent catalogue), stored and undescribed ones under "other"', async () => {
    const client = await connect('types');
    await emit(client, { aggregate_type: 'Task', aggregate_id: 't-1', event_type: 'TaskStarted', data: { taskId: 't-1' } });
    await emit(client, { aggregate_id: 'j-1', event_type: 'SomethingElse', data: {} });
    // The catalogue's schemas hold on this path too.
    expect(
      await callError(client, 'emit_event', { aggregate_type: 'Task', aggregate_id: 't-2', event_type: 'TaskStarted', data: {} }),
    ).toMatch(/data\.taskId/);
    const all = await callOk(client, 'list_event_types');
    expect(all.categories).toEqual(expect.arrayContaining(['agent', 'memory', 'other', 'task']));
    const byName = Object.fromEntries(all.event_types.map((e: Structured) => [e.event_type, e]));
    expect(byName.TaskStarted).toEqual({
      event_type: 'TaskStarted',
      category: 'task',
      description: listAgentEventTypes('task').find((e) => e.eventType === 'TaskStarted')!.description,
      version: 1,
      stored_events: 1,
    });
    expect(byName.SomethingElse).toMatchObject({ category: 'other', stored_events: 1 });
    // The reference domain's upcasters register RequirementApproved (v3).
    expect(byName.RequirementApproved).toMatchObject({ category: 'other', version: 3, stored_events: 0 });
    const tasks = await callOk(client, 'list_event_types', { category: 'task' });
    expect(tasks.event_types.map((e: Structured) => e.event_type)).toEqual(
      listAgentEventTypes('task')
        .map((e) => e.eventType)
        .sort(),
    );
    expect((await callOk(client, 'list_event_types', { category: 'no-such' })).event_types).toEqual([]);
  });

  it('counts by event type and aggregate type, overall and in a date range', async () => {
    const client = await connect('counts');
    await emit(client, { aggregate_id: 'k-1', event_type: 'A', data: {} });
    await emit(client, { aggregate_id: 'k-1', event_type: 'B', data: {} });
    await emit(client, { aggregate_type: 'Bot', aggregate_id: 'k-2', event_type: 'A', data: {} });
    const all = await callOk(client, 'get_event_aggregates');
    expect(all).toMatchObject({ total_events: 3, by_event_type: { A: 2, B: 1 }, by_aggregate_type: { Job: 2, Bot: 1 }, from: null });
    const events = (await callOk(client, 'query_events')).events as Structured[];
    const ranged = await callOk(client, 'get_event_aggregates', { from: events[1].occurred_at, to: '2099-01-01T00:00:00Z' });
    expect(ranged).toMatchObject({ total_events: 2, by_event_type: { A: 1, B: 1 }, by_aggregate_type: { Job: 1, Bot: 1 } });
    expect(ranged.first_event_at).toBe(events[1].occurred_at);
    expect(ranged.last_event_at).toBe(events[2].occurred_at);
    const empty = await callOk(client, 'get_event_aggregates', { to: '2000-01-01T00:00:00Z' });
    expect(empty).toMatchObject({ total_events: 0, by_event_type: {}, first_event_at: null });
    expect(await callError(client, 'get_event_aggregates', { from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' })).toMatch(
      /to: must be after from/,
    );
  });

  it('returns the latest events newest first, optionally of some types', async () => {
    const client = await connect('latest');
    for (let i = 1; i <= 4; i += 1) await emit(client, { aggregate_id: 'l-1', event_type: i === 2 ? 'Rare' : 'Common', data: { i } });
    expect((await callOk(client, 'get_latest_events', { limit: 2 })).events.map((e: Structured) => e.data.i)).toEqual([4, 3]);
    expect((await callOk(client, 'get_latest_events')).events).toHaveLength(4);
    expect((await callOk(client, 'get_latest_events', { event_types: ['Rare'] })).events.map((e: Structured) => e.data.i)).toEqual([2]);
  });

  it('answers bad arguments and store errors with tool errors naming the field, and keeps serving', async () => {
    const bad = (name: string, args: Record<string, unknown>) => callError(acme, name, args);
    expect(await bad('emit_event', { aggregate_type: 'Job', aggregate_id: 'x', event_type: 'E' })).toMatch(/data/);
    expect(await bad('emit_event', { aggregate_type: 'Job', aggregate_id: 'x', event_type: 'E', data: [1] })).toMatch(/data/);
    expect(await bad('emit_event', { aggregate_type: 'Job', aggregate_id: 'x', event_type: 'E', data: {}, color: 'red' })).toMatch(/color/);
    expect(await bad('emit_event', { aggregate_type: 'Job', aggregate_id: '', event_type: 'E', data: {} })).toMatch(/aggregate_id: /);
    expect(await bad('emit_event', { aggregate_type: 'Job', aggregate_id: 'x', event_type: 'no spaces', data: {} })).toMatch(
      /event_type: /,
    );
    expect(
      await bad('emit_event', { aggregate_type: 'Job', aggregate_id: 'x', event_type: 'E', data: {}, expected_version: 'soon' }),
    ).toMatch(/expected_version/);
    expect(
      await bad('emit_event', { aggregate_type: 'Job', aggregate_id: 'x', event_type: 'E', data: {}, event_id: 'not-a-uuid' }),
    ).toMatch(/event_id/);
    await emit(acme, { aggregate_id: 'conflict', event_type: 'E', data: {} });
    expect(
      await bad('emit_event', {
        aggregate_type: 'Job',
        aggregate_id: 'conflict',
        event_type: 'E',
        data: {},
        expected_version: 'no_stream',
      }),
    ).toMatch(/^Concurrency conflict.*actual version 1/);
    expect(await bad('query_events', { limit: 0 })).toMatch(/limit/);
    expect(await bad('query_events', { limit: 1001 })).toMatch(/limit/);
    expect(await bad('query_events', { from: 'yesterday' })).toMatch(/from/);
    expect(await bad('query_events', { cursor: 'forged' })).toMatch(/cursor: is not a cursor/);
    expect(await bad('query_events', { keyword: '' })).toMatch(/keyword: /);
    expect(await bad('query_events', { event_types: 'TaskStarted' })).toMatch(/event_types/);
    expect(await bad('get_latest_events', { limit: -1 })).toMatch(/limit/);
    expect(await bad('list_event_types', { category: 5 })).toMatch(/category/);
    expect(await bad('no_such_tool', {})).toMatch(/no_such_tool not found/);
    // Still serving after all that.
    expect((await callOk(acme, 'get_latest_events', { limit: 1 })).events).toHaveLength(1);
  });

  it('needs a token (401), a reading or writing role (403), and the role of each tool', async () => {
    const post = (token?: string) => {
      const req = t.http().post('/api/mcp').set('Accept', 'application/json, text/event-stream');
      return (token ? req.set('Authorization', `Bearer ${token}`) : req).send({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
      });
    };
    expect((await post()).status).toBe(401);
    expect((await post('not.a.token')).status).toBe(401);
    expect((await post(t.token('acme', ['dpo']))).status).toBe(403);
    expect((await post(t.token('acme', ['auditor']))).status).toBe(200);
    expect(
      (
        await t
          .http()
          .get('/api/mcp')
          .set('Authorization', `Bearer ${t.token('acme')}`)
      ).status,
    ).toBe(405);

    const auditor = await connect('acme', ['auditor']);
    expect(await callError(auditor, 'emit_event', { aggregate_type: 'Job', aggregate_id: 'r', event_type: 'E', data: {} })).toBe(
      'Forbidden: emit_event requires the writer role',
    );
    expect((await callOk(auditor, 'query_events', { limit: 1 })).events).toHaveLength(1);
    const writer = await connect('acme', ['writer']);
    expect(
      (await callOk(writer, 'emit_event', { aggregate_type: 'Job', aggregate_id: 'r', event_type: 'E', data: {} })).aggregate_version,
    ).toBe(1);
    for (const name of ['query_events', 'get_latest_events', 'list_event_types', 'get_event_aggregates']) {
      expect(await callError(writer, name, {})).toBe(`Forbidden: ${name} requires the auditor role`);
    }
    expect(await callError(writer, 'replay_events', { aggregate_type: 'Job', aggregate_id: 'r' })).toMatch(/requires the auditor role/);
  });

  it("never reaches another tenant's events", async () => {
    const a = await connect('iso-a');
    const b = await connect('iso-b');
    await emit(a, { aggregate_type: 'Dossier', aggregate_id: 'shared-id', event_type: 'SecretFiled', data: { text: 'iso-a-secret' } });
    await emit(a, { aggregate_type: 'Dossier', aggregate_id: 'shared-id', event_type: 'SecretFiled', data: { text: 'more' } });
    // The same id in tenant B is its own stream.
    const own = await emit(b, {
      aggregate_type: 'Notebook',
      aggregate_id: 'shared-id',
      event_type: 'NoteTaken',
      data: {},
      expected_version: 'no_stream',
    });
    expect(own.aggregate_version).toBe(1);
    const seenByB = [
      await callOk(b, 'query_events', {}),
      await callOk(b, 'query_events', { keyword: 'iso-a-secret' }),
      await callOk(b, 'query_events', { event_types: ['SecretFiled'] }),
      await callOk(b, 'query_events', { aggregate_type: 'Dossier' }),
      await callOk(b, 'get_latest_events', { limit: 1000 }),
      await callOk(b, 'get_event_aggregates'),
      await callOk(b, 'list_event_types'),
    ];
    for (const result of seenByB) expect(JSON.stringify(result)).not.toMatch(/iso-a-secret|Dossier/);
    expect(seenByB[0].total_count).toBe(1);
    expect(seenByB[5].total_events).toBe(1);
    expect(seenByB[6].event_types.find((e: Structured) => e.event_type === 'SecretFiled')).toBeUndefined();
    expect(await callError(b, 'replay_events', { aggregate_type: 'Dossier', aggregate_id: 'shared-id' })).toMatch(/^Not found/);
    // A's cursor is just a position: in B it pages B's events only.
    const pageA = await callOk(a, 'query_events', { limit: 1 });
    const pageB = await callOk(b, 'query_events', { cursor: pageA.next_cursor });
    expect(JSON.stringify(pageB)).not.toContain('iso-a-secret');
    expect((await callOk(a, 'replay_events', { aggregate_type: 'Dossier', aggregate_id: 'shared-id' })).final_state).toEqual({
      text: 'more',
    });
  });
});
