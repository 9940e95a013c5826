import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { EventNotFoundError, EventStoreService } from '@nest-event-store/core';
import { isUuid } from '@nest-event-store/core';
import { StoredEventDto } from '../audit/dto/stored-event.dto';
import { CurrentPrincipal } from '../common/auth/current-principal.decorator';
import { Principal } from '../common/auth/principal';
import { Roles } from '../common/auth/roles.decorator';
import { ApiAuthenticatedErrorResponses, ApiErrorResponses } from '../common/http/api-error-responses.decorator';
import { toEventJson } from '../common/http/event-json';

/** One event exactly as stored, before upcasting: the console shows which version a read was upcast from. */
@ApiTags('events')
@ApiBearerAuth()
@Roles('auditor')
@ApiAuthenticatedErrorResponses()
@Controller('events')
export class StoredEventController {
  constructor(private readonly store: EventStoreService) {}

  @Get(':eventId/as-stored')
  @ApiOperation({ summary: 'One event as stored (payload and eventVersion before upcasting); 404 when unknown or another tenant’s' })
  @ApiOkResponse({ type: StoredEventDto })
  @ApiErrorResponses(404)
  async asStored(@Param('eventId') eventId: string, @CurrentPrincipal() principal: Principal): Promise<StoredEventDto> {
    if (!isUuid(eventId)) throw new EventNotFoundError(eventId);
    return toEventJson(await this.store.getEventById(principal.tenantId, eventId, { raw: true }));
  }
}
