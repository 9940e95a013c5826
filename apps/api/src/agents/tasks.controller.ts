import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../common/auth/current-principal.decorator';
import { Principal } from '../common/auth/principal';
import { Roles } from '../common/auth/roles.decorator';
import { ApiAuthenticatedErrorResponses, ApiErrorResponses } from '../common/http/api-error-responses.decorator';
import { DateRangeQuery, toStatisticsRange } from '../common/http/date-range.query';
import { AgentsReader } from './agents.reader';
import { ListTasksQuery } from './dto/agent-queries.dto';
import { TaskDetailView, TaskListView, TaskStatisticsView } from './dto/agent-views.dto';

/** TaskHistory of the caller's tenant (a projection; eventually consistent). */
@ApiTags('agents')
@ApiBearerAuth()
@Roles('auditor')
@ApiAuthenticatedErrorResponses()
@Controller('tasks')
export class TasksController {
  constructor(private readonly reader: AgentsReader) {}

  @Get()
  @ApiOperation({ summary: 'Tasks with status, agent, progress and duration, most recently created first' })
  @ApiOkResponse({ type: TaskListView })
  @ApiErrorResponses(400)
  async list(@Query() query: ListTasksQuery, @CurrentPrincipal() principal: Principal): Promise<TaskListView> {
    const filter = { status: query.status, agentId: query.agentId };
    return { items: await this.reader.listTasks(principal.tenantId, filter, query.limit ?? 100) };
  }

  // Declared before ':id' so that 'stats' is not taken for an id.
  @Get('stats')
  @ApiOperation({
    summary:
      'Tasks created in a date range by status, and the average duration of the tasks completed in it (from inclusive, to exclusive)',
  })
  @ApiOkResponse({ type: TaskStatisticsView })
  @ApiErrorResponses(400)
  stats(@Query() query: DateRangeQuery, @CurrentPrincipal() principal: Principal): Promise<TaskStatisticsView> {
    return this.reader.taskStatistics(principal.tenantId, toStatisticsRange(query));
  }

  @Get(':id')
  @ApiOperation({ summary: 'What happened to a task: its state and timeline (404 when unknown or another tenant’s)' })
  @ApiOkResponse({ type: TaskDetailView })
  @ApiErrorResponses(404)
  async get(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<TaskDetailView> {
    const task = await this.reader.getTask(principal.tenantId, id);
    if (!task) throw new NotFoundException(`No task '${id}' in this tenant`);
    return task;
  }
}
