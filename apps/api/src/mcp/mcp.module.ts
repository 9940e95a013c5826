import { Module } from '@nestjs/common';
import { EventTypeCatalogue } from './event-type-catalogue';
import { McpController } from './mcp.controller';
import { McpServerFactory } from './mcp-server.factory';
import { ReplayFolds } from './replay-folds';

/**
 * MCP tools over the event store: Streamable HTTP at /api/mcp, and the
 * servers `npm run mcp` connects to stdio. Domain modules import it to
 * describe their event types (EventTypeCatalogue) and their replay folds (ReplayFolds).
 */
@Module({
  controllers: [McpController],
  providers: [EventTypeCatalogue, ReplayFolds, McpServerFactory],
  exports: [EventTypeCatalogue, ReplayFolds, McpServerFactory],
})
export class McpModule {}
