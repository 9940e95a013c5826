import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../common/auth/current-principal.decorator';
import { Principal } from '../common/auth/principal';
import { Roles } from '../common/auth/roles.decorator';
import { ApiAuthenticatedErrorResponses, ApiErrorResponses } from '../common/http/api-error-responses.decorator';
import { AgentsReader } from './agents.reader';
import { ListMemoryQuery, ListNamespacesQuery } from './dto/agent-queries.dto';
import { MemoryEntryListView, NamespaceListView } from './dto/agent-views.dto';

/** MemoryIndex of the caller's tenant (a projection; eventually consistent). */
@ApiTags('agents')
@ApiBearerAuth()
@Roles('auditor')
@ApiAuthenticatedErrorResponses()
@Controller('memory')
export class MemoryController {
  constructor(private readonly reader: AgentsReader) {}

  @Get()
  @ApiOperation({ summary: 'Memory namespaces with their entry counts' })
  @ApiOkResponse({ type: NamespaceListView })
  @ApiErrorResponses(400)
  async namespaces(@Query() query: ListNamespacesQuery, @CurrentPrincipal() principal: Principal): Promise<NamespaceListView> {
    return { items: await this.reader.listNamespaces(principal.tenantId, query.limit ?? 100) };
  }

  @Get(':namespace')
  @ApiOperation({ summary: 'What a namespace remembers: its keys (never the values), by key (404 when the namespace is unknown)' })
  @ApiOkResponse({ type: MemoryEntryListView })
  @ApiErrorResponses(400, 404)
  async entries(
    @Param('namespace') namespace: string,
    @Query() query: ListMemoryQuery,
    @CurrentPrincipal() principal: Principal,
  ): Promise<MemoryEntryListView> {
    const items = await this.reader.listMemory(principal.tenantId, namespace, query.status, query.limit ?? 100);
    if (!items.length && !(await this.reader.listMemory(principal.tenantId, namespace, undefined, 1)).length)
      throw new NotFoundException(`No memory namespace '${namespace}' in this tenant`);
    return { namespace, items };
  }
}
