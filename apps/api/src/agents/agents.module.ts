import { Module } from '@nestjs/common';
import { EventStoreModule } from '@nest-event-store/core';
import { AgentEventTypesDeclaration } from './agent-event-types.declaration';
import { AgentsController } from './agents.controller';
import { AgentsReader } from './agents.reader';
import { AGENT_EVENT_SCHEMAS } from './catalogue/agent-event-catalogue';
import { MemoryController } from './memory.controller';
import { AgentStateProjection } from './projections/agent-state.projection';
import { MemoryIndexProjection } from './projections/memory-index.projection';
import { TaskHistoryProjection } from './projections/task-history.projection';
import { TasksController } from './tasks.controller';

/**
 * The agent-orchestration domain: the typed event catalogue (schemas
 * registered with the store, event types declared per stream type), the
 * AgentState, TaskHistory and MemoryIndex projections and their read API.
 * Its read-model tables come from agentsMigrations(), which the app passes
 * to EventStoreModule.
 */
@Module({
  imports: [EventStoreModule.forFeature({ schemas: AGENT_EVENT_SCHEMAS })],
  controllers: [AgentsController, TasksController, MemoryController],
  providers: [AgentEventTypesDeclaration, AgentStateProjection, TaskHistoryProjection, MemoryIndexProjection, AgentsReader],
})
export class AgentsModule {}
