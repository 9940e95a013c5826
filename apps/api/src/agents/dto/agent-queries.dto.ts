import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { AGENT_EVENT_CATEGORIES, AgentEventCategory } from '../catalogue/agent-event-catalogue';
import { MEMORY_STATUSES } from '../projections/memory-index.projection';
import { TASK_STATUSES } from '../projections/task-history.projection';

/** Agent statuses of AgentState. */
export const AGENT_STATUSES = [
  'spawned',
  'registered',
  'idle',
  'working',
  'waiting',
  'blocked',
  'error',
  'unregistered',
  'terminated',
] as const;

/** Page size of the list reads. */
class LimitQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

/** Query of GET /agents. */
export class ListAgentsQuery extends LimitQuery {
  @ApiPropertyOptional({ enum: AGENT_STATUSES })
  @IsOptional()
  @IsIn(AGENT_STATUSES)
  status?: string;
}

/** Query of GET /tasks. */
export class ListTasksQuery extends LimitQuery {
  @ApiPropertyOptional({ enum: TASK_STATUSES })
  @IsOptional()
  @IsIn(TASK_STATUSES)
  status?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  agentId?: string;
}

/** Query of GET /memory/:namespace. */
export class ListMemoryQuery extends LimitQuery {
  @ApiPropertyOptional({ enum: MEMORY_STATUSES, description: 'Default: every status' })
  @IsOptional()
  @IsIn(MEMORY_STATUSES)
  status?: string;
}

/** Query of GET /memory. */
export class ListNamespacesQuery extends LimitQuery {}

/** Query of GET /agents/event-types. */
export class AgentEventTypesQuery {
  @ApiPropertyOptional({ enum: AGENT_EVENT_CATEGORIES })
  @IsOptional()
  @IsIn(AGENT_EVENT_CATEGORIES)
  category?: AgentEventCategory;
}
