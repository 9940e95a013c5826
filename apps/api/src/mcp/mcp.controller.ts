import { All, Controller, Logger, Req, Res } from '@nestjs/common';
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
 * roles, answered with plain JSON. The global guard has already turned a
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

  @All()
  @ApiExcludeEndpoint()
  async handle(@Req() req: Request, @Res() res: Response, @CurrentPrincipal() principal: Principal): Promise<void> {
    const server = this.servers.create({ tenantId: principal.tenantId, roles: principal.roles, sub: principal.sub }, 'mcp:http');
    // No session: nothing to resume, so GET (a server-initiated stream) and DELETE answer 405 from the transport.
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
}
