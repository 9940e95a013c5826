import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { LogLevel } from '@nestjs/common';
import { ROLES, Role } from '../common/auth/role';
import { TENANT_ID_PATTERN } from '@nest-event-store/core';
import { loadConfig, parseToolPrefix } from '../config/app-config';
import { ConfigError } from '../config/config.error';
import { JsonLogger } from '../logging/json-logger';
import { detachStdin } from './detach-stdin';

const USAGE = 'Usage: npm run --silent mcp -- --tenant <id> [--roles auditor,writer] [--sub mcp] [--tool-prefix mcp_meta_]';

/**
 * The MCP tools over stdio for one tenant: stdout carries the protocol only,
 * every log line goes to stderr. The database is the one `npm start` would
 * use (DATABASE_URL, or embedded PGlite under DATA_DIR); the embedded folder
 * is locked, so stop the API first or point it at the HTTP endpoint instead.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      tenant: { type: 'string' },
      roles: { type: 'string', default: 'auditor,writer' },
      sub: { type: 'string', default: 'mcp' },
      'tool-prefix': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return void process.stderr.write(`${USAGE}\n`);
  if (!values.tenant || !TENANT_ID_PATTERN.test(values.tenant)) fail(`--tenant must be 1-64 letters, digits, ".", "_" or "-".\n${USAGE}`);
  const roles = values.roles
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (unknown.length) fail(`Unknown role(s): ${unknown.join(', ')}; known: ${ROLES.join(', ')}`);
  if (values.sub.length === 0 || values.sub.length > 200) fail('--sub must be 1-200 characters');

  const protocolIn = detachStdin();
  const logger = new JsonLogger((process.env.LOG_LEVEL as LogLevel | undefined) ?? 'warn', (line) => process.stderr.write(`${line}\n`));
  let config;
  try {
    config = loadConfig(process.env);
    if (values['tool-prefix'] !== undefined) config.mcpToolPrefix = parseToolPrefix(values['tool-prefix']);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  // Loaded only now: a bad argument is answered without compiling and loading the whole app.
  const [{ NestFactory }, { StdioServerTransport }, { AppModule }, { McpServerFactory }] = await Promise.all([
    import('@nestjs/core'),
    import('@modelcontextprotocol/sdk/server/stdio.js'),
    import('../app.module'),
    import('../mcp/mcp-server.factory'),
  ]);
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { logger, abortOnError: false });
  const server = app.get(McpServerFactory).create({ tenantId: values.tenant, roles: roles as Role[], sub: values.sub }, 'mcp:stdio');
  let closing = false;
  const shutdown = async (): Promise<void> => {
    if (closing) return;
    closing = true;
    await server.close().catch(() => undefined);
    await app.close();
    process.exit(0);
  };
  // The client ends the session by closing our stdin (or by a signal).
  protocolIn.on('end', () => void shutdown());
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
  await server.connect(new StdioServerTransport(protocolIn, process.stdout));
  logger.log(`MCP server on stdio for tenant ${values.tenant} (roles ${roles.join(', ')})`, 'Mcp');
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${JSON.stringify({ time: new Date().toISOString(), level: 'fatal', context: 'Mcp', message: error instanceof Error ? error.message : String(error) })}\n`,
  );
  process.exit(1);
});
