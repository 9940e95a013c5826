import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/** A tool result's structured content (the test fails on a tool error). */
export type Structured = Record<string, any>;

/** Connects the SDK's own client to /api/mcp of a listening app with a bearer token. */
export async function connectHttp(baseUrl: string, token: string): Promise<Client> {
  const client = new Client({ name: 'e2e', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(`${baseUrl}/api/mcp`), {
    requestInit: { headers: { Authorization: `Bearer ${token}` } },
  });
  await client.connect(transport);
  return client;
}

/** Calls a tool that must succeed; returns its structured content, checking the text rendering carries the same JSON. */
export async function callOk(client: Client, name: string, args: Record<string, unknown> = {}): Promise<Structured> {
  const result = (await client.callTool({ name, arguments: args }, undefined, { timeout: 120_000 })) as CallToolResult;
  if (result.isError) throw new Error(`${name} failed: ${JSON.stringify(result.content)}`);
  const [text] = result.content;
  expect(text.type === 'text' && JSON.parse(text.text)).toEqual(result.structuredContent);
  return result.structuredContent as Structured;
}

/** Calls a tool that must fail with a tool error; returns the error text. */
export async function callError(client: Client, name: string, args: Record<string, unknown> = {}): Promise<string> {
  const result = (await client.callTool({ name, arguments: args }, undefined, { timeout: 120_000 })) as CallToolResult;
  expect(result.isError).toBe(true);
  expect(result.structuredContent).toBeUndefined();
  const [text] = result.content;
  return text.type === 'text' ? text.text : '';
}
