import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { EventNotFoundError, EventStoreService, isUuid } from '@nest-event-store/core';
import { StoredEventDto } from '../audit/dto/stored-event.dto';
import { CurrentPrincipal } from '../common/auth/current-principal.decorator';
import { Principal } from '../common/auth/principal';
import { Roles } from '../common/auth/roles.decorator';
import { ApiAuthenticatedErrorResponses, ApiErrorResponses } from '../common/http/api-error-responses.decorator';
import { toEventJson } from '../common/http/event-json';
import { ErasureRequestDto, ErasureResultDto } from './dto/erasure-request.dto';
import { RedactionRequestDto } from './dto/redaction-request.dto';

/** GDPR: redaction of one event, erasure of everything about a data subject. */
@ApiTags('gdpr')
@ApiBearerAuth()
@Roles('dpo')
@ApiAuthenticatedErrorResponses()
@Controller()
export class GdprController {
  constructor(private readonly store: EventStoreService) {}

  @Post('events/:eventId/redaction')
  @HttpCode(200)
  @ApiOperation({ summary: 'Redact one event: payload and PII metadata removed, envelope kept; idempotent' })
  @ApiOkResponse({ type: StoredEventDto })
  @ApiErrorResponses(400, 404, 413)
  async redact(
    @Param('eventId') eventId: string,
    @Body() body: RedactionRequestDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<StoredEventDto> {
    if (!isUuid(eventId)) throw new EventNotFoundError(eventId);
    return toEventJson(await this.store.redactEvent(eventId, principal.tenantId, { reason: body.reason, requestedBy: principal.sub }));
  }

  @Post('gdpr/erasure-requests')
  @HttpCode(200)
  @ApiOperation({ summary: 'Redact every event of the tenant linked to a data subject' })
  @ApiOkResponse({ type: ErasureResultDto })
  @ApiErrorResponses(400, 413)
  eraseSubject(@Body() body: ErasureRequestDto, @CurrentPrincipal() principal: Principal): Promise<ErasureResultDto> {
    return this.store.eraseSubject(body.subjectId, principal.tenantId, { reason: body.reason, requestedBy: principal.sub });
  }
}
