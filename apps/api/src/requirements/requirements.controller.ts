import { BadRequestException, Body, Controller, Get, HttpCode, Param, Patch, Post, Query, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { AggregateRepository, InjectAggregateRepository } from '@nest-event-store/core';
import { CurrentPrincipal } from '../common/auth/current-principal.decorator';
import { Principal } from '../common/auth/principal';
import { Roles } from '../common/auth/roles.decorator';
import { ApiAuthenticatedErrorResponses, ApiErrorResponses } from '../common/http/api-error-responses.decorator';
import { CorrelationId } from '../common/correlation/correlation-id.decorator';
import { RequirementStatusBoard, RequirementStatusBoardReader } from './board/requirement-status-board.reader';
import { requestMetadata, runCommand } from './command-context';
import { Requirement, RequirementState } from './domain/requirement.aggregate';
import { DomainRuleViolationFilter } from './domain-rule-violation.filter';
import {
  ApproveRequirementDto,
  CreateRequirementDto,
  HistoryQuery,
  RejectRequirementDto,
  UpdateRequirementDto,
} from './dto/requirement.dto';

/** A requirement as the API returns it. */
export type RequirementView = { id: string; version: number } & RequirementState;

const view = (r: Requirement): RequirementView => ({ id: r.aggregateId, version: r.version, ...r.snapshot });

/**
 * The requirements of the reference domain, stored as an event-sourced
 * aggregate. Broken domain rules are 409 `DomainRuleViolation`; a stale
 * `expectedVersion` is 409 `ConcurrencyError`.
 */
@ApiTags('requirements')
@ApiBearerAuth()
@UseFilters(DomainRuleViolationFilter)
@ApiAuthenticatedErrorResponses()
@Controller('requirements')
export class RequirementsController {
  constructor(
    @InjectAggregateRepository(Requirement) private readonly requirements: AggregateRepository<Requirement>,
    private readonly board: RequirementStatusBoardReader,
  ) {}

  @Post()
  @HttpCode(201)
  @Roles('writer')
  @ApiOperation({ summary: 'Draft a requirement' })
  @ApiErrorResponses(400, 413)
  async create(
    @Body() body: CreateRequirementDto,
    @CurrentPrincipal() principal: Principal,
    @CorrelationId() correlationId?: string,
  ): Promise<RequirementView> {
    const requirement = new Requirement(`req-${randomUUID()}`);
    requirement.create({ title: body.title, description: body.description, priority: body.priority });
    await this.requirements.save(requirement, principal.tenantId, { metadata: requestMetadata(principal, correlationId) });
    return view(requirement);
  }

  // Declared before ':id' so that 'board' is not taken for an id.
  @Get('board')
  @Roles('auditor')
  @ApiOperation({ summary: 'Status board: counts by status and the requirements (a projection; eventually consistent)' })
  getBoard(@CurrentPrincipal() principal: Principal): Promise<RequirementStatusBoard> {
    return this.board.read(principal.tenantId);
  }

  @Get(':id')
  @Roles('auditor')
  @ApiOperation({ summary: 'Current state of a requirement (404 when unknown)' })
  @ApiErrorResponses(400, 404, 422)
  async get(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<RequirementView> {
    return view(await this.requirements.load(principal.tenantId, id));
  }

  @Get(':id/history')
  @Roles('auditor')
  @ApiOperation({ summary: 'The requirement as of a version (?version=N) or a point in time (?at=ISO)' })
  @ApiErrorResponses(400, 404, 422)
  async history(
    @Param('id') id: string,
    @Query() query: HistoryQuery,
    @CurrentPrincipal() principal: Principal,
  ): Promise<RequirementView & { asOf: { version: number } | { at: string } }> {
    if ((query.version === undefined) === (query.at === undefined))
      throw new BadRequestException(['version: give exactly one of version or at']);
    if (query.version !== undefined) {
      return {
        ...view(await this.requirements.loadAt(principal.tenantId, id, { version: query.version })),
        asOf: { version: query.version },
      };
    }
    const at = new Date(query.at!);
    return { ...view(await this.requirements.loadAt(principal.tenantId, id, { at })), asOf: { at: at.toISOString() } };
  }

  @Patch(':id')
  @Roles('writer')
  @ApiOperation({ summary: 'Edit a draft requirement (expectedVersion required)' })
  @ApiErrorResponses(400, 404, 409, 413, 422)
  async update(
    @Param('id') id: string,
    @Body() body: UpdateRequirementDto,
    @CurrentPrincipal() principal: Principal,
    @CorrelationId() correlationId?: string,
  ): Promise<RequirementView> {
    const { expectedVersion, ...changes } = body;
    if (Object.values(changes).every((v) => v === undefined))
      throw new BadRequestException(['body: give at least one of title, description, priority']);
    return view(await runCommand(this.requirements, { principal, correlationId }, { id, expectedVersion }, (r) => r.update(changes)));
  }

  @Post(':id/approval')
  @HttpCode(200)
  @Roles('writer')
  @ApiOperation({ summary: 'Approve a draft requirement' })
  @ApiErrorResponses(400, 404, 409, 413, 422)
  async approve(
    @Param('id') id: string,
    @Body() body: ApproveRequirementDto,
    @CurrentPrincipal() principal: Principal,
    @CorrelationId() correlationId?: string,
  ): Promise<RequirementView> {
    const target = { id, expectedVersion: body.expectedVersion };
    return view(
      await runCommand(this.requirements, { principal, correlationId }, target, (r) => r.approve(body.approverRole, principal.sub)),
    );
  }

  @Post(':id/rejection')
  @HttpCode(200)
  @Roles('writer')
  @ApiOperation({ summary: 'Reject a draft requirement with a reason' })
  @ApiErrorResponses(400, 404, 409, 413, 422)
  async reject(
    @Param('id') id: string,
    @Body() body: RejectRequirementDto,
    @CurrentPrincipal() principal: Principal,
    @CorrelationId() correlationId?: string,
  ): Promise<RequirementView> {
    const target = { id, expectedVersion: body.expectedVersion };
    return view(await runCommand(this.requirements, { principal, correlationId }, target, (r) => r.reject(body.reason, principal.sub)));
  }
}
