import { Controller, Delete, Get, Logger, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExcludeEndpoint, ApiTags } from '@nestjs/swagger';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Request, Response } from 'express';
import { CurrentPrincipal } from '../common/auth/current-principal.decorator';
import { Principal } from '../common/auth/principal';
import { Roles } from '../common/auth/roles.decorator';
import { McpServerFactory } from './mcp-server.factory';

/**
 * The MCP tools over Streamable HTTP at /api/mcp, stateless: every POST
 * carries its bearer token and gets a server bound to that token's tenant and
 * roles, answered with plain JSON (no sessions, so GET and DELETE are 405). The global guard has already turned a
 * missing or bad token into 401, and a token with neither auditor nor writer
 * into 403; a tool the roles do not allow is a tool error.
 */
@ApiTags('mcp')
@ApiBearerAuth()
@Roles('auditor', 'writer')
@Controller('mcp')
export class McpController {
  private readonly logger = new Logger(McpController.name);

  constructor(private readonly servers: McpServerFactory) {}

  @Post()
  @ApiExcludeEndpoint()
  async handle(@Req() req: Request, @Res() res: Response, @CurrentPrincipal() principal: Principal): Promise<void> {
    const server = this.servers.create({ tenantId: principal.tenantId, roles: principal.roles, sub: principal.sub }, 'mcp:http');
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    try {
      await server.connect(transport);
      await transport.handleRequest(req, res, req.body);
    } catch (error) {
      this.logger.error('MCP request failed', error instanceof Error ? error.stack : String(error));
      if (!res.headersSent) res.status(500).json({ jsonrpc: '2.0', error: { code: -32603, message: 'Internal error' }, id: null });
    }
  }

  /** No sessions: no server-initiated stream to open (GET) and none to end (DELETE). */
  @Get()
  @ApiExcludeEndpoint()
  get(@Res() res: Response): void {
    methodNotAllowed(res);
  }

  /** See get(). */
  @Delete()
  @ApiExcludeEndpoint()
  delete(@Res() res: Response): void {
    methodNotAllowed(res);
  }
}

function methodNotAllowed(res: Response): void {
  res
    .status(405)
    .set('Allow', 'POST')
    .json({ jsonrpc: '2.0', error: { code: -32000, message: 'Method not allowed: this MCP endpoint is stateless, use POST' }, id: null });
}
