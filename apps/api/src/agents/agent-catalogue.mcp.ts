import { Injectable, OnModuleInit } from '@nestjs/common';
import { EventTypeCatalogue } from '../mcp/event-type-catalogue';
import { listAgentEventTypes } from './catalogue/agent-event-catalogue';

/** Describes the agent catalogue to the MCP tool `list_event_types` (category, description, version). */
@Injectable()
export class AgentCatalogueForMcp implements OnModuleInit {
  constructor(private readonly catalogue: EventTypeCatalogue) {}

  onModuleInit(): void {
    this.catalogue.add(
      listAgentEventTypes().map(({ eventType, category, description, version }) => ({ eventType, category, description, version })),
    );
  }
}
