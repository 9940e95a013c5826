import { Injectable, OnModuleInit } from '@nestjs/common';
import { EventStoreService } from '@nest-event-store/core';
import { agentEventTypesByAggregate } from './catalogue/agent-event-catalogue';

/**
 * Declares the catalogue's event types for their aggregate types (decision
 * 0011): an append of another type to an Agent, Task, Memory, Session, Plan,
 * Deployment or System stream is refused with a 400 naming `eventType`.
 */
@Injectable()
export class AgentEventTypesDeclaration implements OnModuleInit {
  constructor(private readonly store: EventStoreService) {}

  onModuleInit(): void {
    for (const [aggregateType, eventTypes] of agentEventTypesByAggregate()) this.store.declareEventTypes(aggregateType, eventTypes);
  }
}
