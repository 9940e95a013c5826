import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../common/auth/current-principal.decorator';
import { Principal } from '../common/auth/principal';
import { Roles } from '../common/auth/roles.decorator';
import { ApiAuthenticatedErrorResponses, ApiErrorResponses } from '../common/http/api-error-responses.decorator';
import { AgentsReader } from './agents.reader';
import { listAgentEventTypes } from './catalogue/agent-event-catalogue';
import { AgentEventTypesQuery, ListAgentsQuery } from './dto/agent-queries.dto';
import { AgentEventTypeListView, AgentListView, AgentView } from './dto/agent-views.dto';

/** AgentState of the caller's tenant (a projection; eventually consistent), and the event catalogue. */
@ApiTags('agents')
@ApiBearerAuth()
@Roles('auditor')
@ApiAuthenticatedErrorResponses()
@Controller('agents')
export class AgentsController {
  constructor(private readonly reader: AgentsReader) {}

  @Get()
  @ApiOperation({ summary: 'What each agent is doing: status, current task, last action, most recently changed first' })
  @ApiOkResponse({ type: AgentListView })
  @ApiErrorResponses(400)
  async list(@Query() query: ListAgentsQuery, @CurrentPrincipal() principal: Principal): Promise<AgentListView> {
    return { items: await this.reader.listAgents(principal.tenantId, query.status, query.limit ?? 100) };
  }

  // Declared before ':id' so that 'event-types' is not taken for an id.
  @Get('event-types')
  @ApiOperation({ summary: 'The agent event catalogue: types with category, description, version and stream' })
  @ApiOkResponse({ type: AgentEventTypeListView })
  @ApiErrorResponses(400)
  eventTypes(@Query() query: AgentEventTypesQuery): AgentEventTypeListView {
    return { items: listAgentEventTypes(query.category) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One agent (404 when unknown or another tenant’s)' })
  @ApiOkResponse({ type: AgentView })
  @ApiErrorResponses(404)
  async get(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<AgentView> {
    const agent = await this.reader.getAgent(principal.tenantId, id);
    if (!agent) throw new NotFoundException(`No agent '${id}' in this tenant`);
    return agent;
  }
}
