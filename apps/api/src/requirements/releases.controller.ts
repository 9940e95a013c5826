import { Body, Controller, Get, HttpCode, Param, Post, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { AggregateRepository, InjectAggregateRepository } from '@nest-event-store/core';
import { CurrentPrincipal } from '../common/auth/current-principal.decorator';
import { Principal } from '../common/auth/principal';
import { Roles } from '../common/auth/roles.decorator';
import { ApiAuthenticatedErrorResponses, ApiErrorResponses } from '../common/http/api-error-responses.decorator';
import { CorrelationId } from '../common/correlation/correlation-id.decorator';
import { requestMetadata, runCommand } from './command-context';
import { Release, ReleaseState } from './domain/release.aggregate';
import { Requirement } from './domain/requirement.aggregate';
import { DomainRuleViolationFilter } from './domain-rule-violation.filter';
import { AddRequirementToReleaseDto, PlanReleaseDto, ShipReleaseDto } from './dto/release.dto';

/** A release as the API returns it. */
export type ReleaseView = { id: string; version: number } & ReleaseState;

const view = (r: Release): ReleaseView => ({ id: r.aggregateId, version: r.version, ...r.snapshot });

/** Releases: planned, filled with approved requirements, shipped. */
@ApiTags('requirements')
@ApiBearerAuth()
@UseFilters(DomainRuleViolationFilter)
@ApiAuthenticatedErrorResponses()
@Controller('releases')
export class ReleasesController {
  constructor(
    @InjectAggregateRepository(Release) private readonly releases: AggregateRepository<Release>,
    @InjectAggregateRepository(Requirement) private readonly requirements: AggregateRepository<Requirement>,
  ) {}

  @Post()
  @HttpCode(201)
  @Roles('writer')
  @ApiOperation({ summary: 'Plan a release' })
  @ApiErrorResponses(400, 413)
  async plan(
    @Body() body: PlanReleaseDto,
    @CurrentPrincipal() principal: Principal,
    @CorrelationId() correlationId?: string,
  ): Promise<ReleaseView> {
    const release = new Release(`rel-${randomUUID()}`);
    release.plan(body.name, body.plannedFor);
    await this.releases.save(release, principal.tenantId, { metadata: requestMetadata(principal, correlationId) });
    return view(release);
  }

  @Get(':id')
  @Roles('auditor')
  @ApiOperation({ summary: 'Current state of a release (404 when unknown)' })
  @ApiErrorResponses(400, 404, 422)
  async get(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<ReleaseView> {
    return view(await this.releases.load(principal.tenantId, id));
  }

  @Post(':id/requirements')
  @HttpCode(200)
  @Roles('writer')
  @ApiOperation({ summary: 'Add an approved requirement (404 when the requirement is unknown)' })
  @ApiErrorResponses(400, 404, 409, 413, 422)
  async addRequirement(
    @Param('id') id: string,
    @Body() body: AddRequirementToReleaseDto,
    @CurrentPrincipal() principal: Principal,
    @CorrelationId() correlationId?: string,
  ): Promise<ReleaseView> {
    const target = { id, expectedVersion: body.expectedVersion };
    const release = await runCommand(this.releases, { principal, correlationId }, target, async (r) => {
      // Read-only check of another aggregate: approval is final, so it cannot be undone in between.
      const requirement = await this.requirements.load(principal.tenantId, body.requirementId);
      r.addRequirement(requirement.aggregateId, requirement.status);
    });
    return view(release);
  }

  @Post(':id/shipment')
  @HttpCode(200)
  @Roles('writer')
  @ApiOperation({ summary: 'Ship the release' })
  @ApiErrorResponses(400, 404, 409, 413, 422)
  async ship(
    @Param('id') id: string,
    @Body() body: ShipReleaseDto,
    @CurrentPrincipal() principal: Principal,
    @CorrelationId() correlationId?: string,
  ): Promise<ReleaseView> {
    const target = { id, expectedVersion: body.expectedVersion };
    return view(await runCommand(this.releases, { principal, correlationId }, target, (r) => r.ship(principal.sub)));
  }
}
