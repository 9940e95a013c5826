import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { EventNotFoundError, EventQueryFilter, EventStoreService, isUuid } from '@nest-event-store/core';
import { CurrentPrincipal } from '../common/auth/current-principal.decorator';
import { Principal } from '../common/auth/principal';
import { Roles } from '../common/auth/roles.decorator';
import { ApiAuthenticatedErrorResponses, ApiErrorResponses } from '../common/http/api-error-responses.decorator';
import { DateRangeQuery, toStatisticsRange } from '../common/http/date-range.query';
import { toEventJson } from '../common/http/event-json';
import { QueryEventsQuery } from './dto/query-events.query';
import { EventPageDto, EventStatisticsDto, StoredEventDto } from './dto/stored-event.dto';

/** The audit query API over the caller's tenant. */
@ApiTags('events')
@ApiBearerAuth()
@Roles('auditor')
@ApiAuthenticatedErrorResponses()
@Controller('events')
export class EventsController {
  constructor(private readonly store: EventStoreService) {}

  @Get()
  @ApiOperation({ summary: 'Filtered, keyset-paginated audit query in global order' })
  @ApiOkResponse({ type: EventPageDto })
  @ApiErrorResponses(400)
  async query(@Query() query: QueryEventsQuery, @CurrentPrincipal() principal: Principal): Promise<EventPageDto> {
    const filter: EventQueryFilter = {};
    if (query.eventType?.length) filter.eventTypes = query.eventType;
    if (query.aggregateType !== undefined) filter.aggregateType = query.aggregateType;
    if (query.aggregateId !== undefined) filter.aggregateId = query.aggregateId;
    if (query.from !== undefined) filter.from = new Date(query.from);
    if (query.to !== undefined) filter.to = new Date(query.to);
    if (query.q !== undefined) filter.keyword = query.q;
    if (query.correlationId !== undefined) filter.correlationId = query.correlationId;
    if (query.userId !== undefined) filter.userId = query.userId;
    const page = await this.store.queryEvents(principal.tenantId, filter, {
      limit: query.limit ?? 100,
      cursor: query.cursor ?? null,
      order: query.order ?? 'asc',
      includeTotal: query.includeTotal === 'true',
    });
    const body: EventPageDto = { items: page.items.map(toEventJson), nextCursor: page.nextCursor, hasMore: page.hasMore };
    if (page.total !== undefined) body.total = page.total;
    return body;
  }

  // Declared before ':eventId' so that "stats" is not taken for an id.
  @Get('stats')
  @ApiOperation({ summary: "Statistics of the caller's tenant, optionally of the events that occurred in a date range" })
  @ApiOkResponse({ type: EventStatisticsDto })
  @ApiErrorResponses(400)
  async stats(@Query() query: DateRangeQuery, @CurrentPrincipal() principal: Principal): Promise<EventStatisticsDto> {
    const s = await this.store.getStatistics(principal.tenantId, toStatisticsRange(query));
    return { ...s, firstEventAt: s.firstEventAt?.toISOString() ?? null, lastEventAt: s.lastEventAt?.toISOString() ?? null };
  }

  @Get(':eventId')
  @ApiOperation({ summary: 'One event (404 when unknown or another tenant’s)' })
  @ApiOkResponse({ type: StoredEventDto })
  @ApiErrorResponses(400, 404)
  async byId(@Param('eventId') eventId: string, @CurrentPrincipal() principal: Principal): Promise<StoredEventDto> {
    // A malformed id is just another unknown id: one answer for every miss.
    if (!isUuid(eventId)) throw new EventNotFoundError(eventId);
    return toEventJson(await this.store.getEventById(principal.tenantId, eventId));
  }
}
