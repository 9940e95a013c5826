import { Inject, Injectable } from '@nestjs/common';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { EventMigrationHandler, EventStoreService } from '@nest-event-store/core';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.module';
import { EventTypeCatalogue } from './event-type-catalogue';
import { ReplayFolds } from './replay-folds';
import { McpPrincipal, ToolContext } from './tool-context';
import { toolError, toolResult } from './tool-result';
import { emitEventTool } from './tools/emit-event.tool';
import { getEventAggregatesTool } from './tools/get-event-aggregates.tool';
import { getLatestEventsTool } from './tools/get-latest-events.tool';
import { listEventTypesTool } from './tools/list-event-types.tool';
import { queryEventsTool } from './tools/query-events.tool';
import { replayEventsTool } from './tools/replay-events.tool';
import { ToolDefinition } from './tools/tool-definition';

/** The tools every MCP server of the app offers, in the order they are listed. */
export const MCP_TOOLS: readonly ToolDefinition[] = [
  emitEventTool,
  queryEventsTool,
  replayEventsTool,
  listEventTypesTool,
  getEventAggregatesTool,
  getLatestEventsTool,
];

/** Name and version the server reports in the MCP handshake. */
export const MCP_SERVER_INFO = { name: 'nest-event-store', version: '0.1.0' };

/**
 * Builds an MCP server bound to one caller (tenant, roles, user): the same
 * tool set whichever transport connects it. The tenant is fixed here, never
 * an argument, so no tool call can name another tenant.
 */
@Injectable()
export class McpServerFactory {
  constructor(
    private readonly store: EventStoreService,
    private readonly migrations: EventMigrationHandler,
    private readonly catalogue: EventTypeCatalogue,
    private readonly folds: ReplayFolds,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A server for one caller; `source` is recorded in the metadata of the events it emits. */
  create(principal: McpPrincipal, source: string): McpServer {
    const server = new McpServer(MCP_SERVER_INFO, {
      instructions:
        `Event store of tenant ${principal.tenantId}: record what happens with emit_event, find it with query_events and ` +
        'get_latest_events, rebuild a stream with replay_events, see the known types with list_event_types and the counts with get_event_aggregates.',
    });
    const ctx: ToolContext = {
      store: this.store,
      migrations: this.migrations,
      catalogue: this.catalogue,
      folds: this.folds,
      principal,
      source,
    };
    const prefix = this.config.mcpToolPrefix ?? '';
    for (const tool of MCP_TOOLS) {
      server.registerTool(
        `${prefix}${tool.name}`,
        {
          title: tool.title,
          description: tool.description,
          inputSchema: tool.input,
          outputSchema: tool.output,
          annotations: tool.annotations,
        },
        async (args: Record<string, unknown>) => {
          try {
            return toolResult(await tool.run(ctx, args));
          } catch (error) {
            return toolError(error, tool.name);
          }
        },
      );
    }
    return server;
  }
}
