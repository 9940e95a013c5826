import { EventMigrationHandler, EventStoreService } from '@nest-event-store/core';
import { Role } from '../common/auth/role';
import { EventTypeCatalogue } from './event-type-catalogue';
import { ReplayFolds } from './replay-folds';

/** Who calls the tools of one MCP server: from the bearer token (HTTP) or the command line (stdio). */
export interface McpPrincipal {
  tenantId: string;
  roles: readonly Role[];
  /** The acting user, recorded as `metadata.userId` of emitted events. */
  sub: string;
}

/** Everything a tool handler needs: the store, the registries, and the caller. */
export interface ToolContext {
  store: EventStoreService;
  migrations: EventMigrationHandler;
  catalogue: EventTypeCatalogue;
  folds: ReplayFolds;
  principal: McpPrincipal;
  /** `source` recorded in the metadata of emitted events (`mcp:http` or `mcp:stdio`). */
  source: string;
}
