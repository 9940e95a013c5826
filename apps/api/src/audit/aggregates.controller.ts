import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { EventStoreService, EventValidationError, FieldViolation, NewDomainEvent } from '@nest-event-store/core';
import { CurrentPrincipal } from '../common/auth/current-principal.decorator';
import { Principal } from '../common/auth/principal';
import { Roles } from '../common/auth/roles.decorator';
import { CorrelationId } from '../common/correlation/correlation-id.decorator';
import { ApiAuthenticatedErrorResponses, ApiErrorResponses } from '../common/http/api-error-responses.decorator';
import { toEventJson } from '../common/http/event-json';
import { MetricsService } from '../common/metrics/metrics.service';
import { AppendEventsDto } from './dto/append-events.dto';
import { StreamRangeQuery } from './dto/stream-range.query';
import { AppendResultDto, StreamDto } from './dto/stored-event.dto';

/** Appending to and reading one stream (aggregate). */
@ApiTags('aggregates')
@ApiBearerAuth()
@ApiAuthenticatedErrorResponses()
@Controller('aggregates/:aggregateId/events')
export class AggregatesController {
  constructor(
    private readonly store: EventStoreService,
    private readonly metrics: MetricsService,
  ) {}

  @Post()
  @HttpCode(201)
  @Roles('writer')
  @ApiOperation({ summary: 'Append events atomically to one stream' })
  @ApiCreatedResponse({ type: AppendResultDto })
  @ApiErrorResponses(400, 409, 413)
  async append(
    @Param('aggregateId') aggregateId: string,
    @Body() body: AppendEventsDto,
    @CurrentPrincipal() principal: Principal,
    @CorrelationId() correlationId: string | undefined,
  ): Promise<AppendResultDto> {
    const events: NewDomainEvent[] = body.events.map((e) => ({
      eventId: e.eventId,
      aggregateType: body.aggregateType,
      aggregateId,
      eventType: e.eventType,
      eventVersion: e.eventVersion,
      occurredAt: e.occurredAt,
      data: e.data,
      // The caller may name the acting user and correlation explicitly
      // (e.g. a gateway acting for someone); otherwise the token and request do.
      metadata: {
        ...e.metadata,
        userId: (e.metadata?.userId as string | undefined) ?? principal.sub,
        correlationId: (e.metadata?.correlationId as string | undefined) ?? correlationId,
      },
    }));
    const stored = await this.metrics
      .timeAppend(() => this.store.appendEvents(events, principal.tenantId, { expectedVersion: body.expectedVersion ?? 'any' }))
      .catch((error: unknown) => {
        throw error instanceof EventValidationError ? new EventValidationError(toBodyFields(error.violations)) : error;
      });
    return { events: stored.map(toEventJson) };
  }

  @Get()
  @Roles('auditor')
  @ApiOperation({ summary: 'Read one stream in version order (404 when the tenant has no such stream)' })
  @ApiOkResponse({ type: StreamDto })
  @ApiErrorResponses(400, 404)
  async read(
    @Param('aggregateId') aggregateId: string,
    @Query() query: StreamRangeQuery,
    @CurrentPrincipal() principal: Principal,
  ): Promise<StreamDto> {
    const stream = await this.store.getStream(aggregateId, principal.tenantId, {
      fromVersion: query.fromVersion,
      toVersion: query.toVersion,
    });
    return {
      aggregateId: stream.aggregateId,
      aggregateType: stream.aggregateType,
      version: stream.version,
      items: stream.events.map(toEventJson),
    };
  }
}

// The library names fields of its per-event input; in this body aggregateType
// and aggregateId are given once (body and path), and expectedVersion is a
// body field, so report them there.
function toBodyFields(violations: FieldViolation[]): FieldViolation[] {
  const seen = new Set<string>();
  return violations
    .map((v) => ({
      ...v,
      field: v.field.replace(/^events\[\d+\]\.(aggregateType|aggregateId)$/, '$1').replace(/^options\.expectedVersion$/, 'expectedVersion'),
    }))
    .filter((v) => {
      const key = `${v.field}: ${v.reason}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}
