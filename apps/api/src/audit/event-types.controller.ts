import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { EventMigrationHandler, EventStoreService } from '@nest-event-store/core';
import { CurrentPrincipal } from '../common/auth/current-principal.decorator';
import { Principal } from '../common/auth/principal';
import { Roles } from '../common/auth/roles.decorator';
import { ApiAuthenticatedErrorResponses } from '../common/http/api-error-responses.decorator';
import { EventTypeDto, EventTypeListDto } from './dto/stored-event.dto';

/** What listEventTypes may return, whichever shape the handler settles on. */
type ListedType = string | { eventType: string };

/** Event types: those with registered upcasters and those the tenant has stored. */
@ApiTags('events')
@ApiBearerAuth()
@Roles('auditor')
@ApiAuthenticatedErrorResponses()
@Controller('event-types')
export class EventTypesController {
  constructor(
    private readonly store: EventStoreService,
    private readonly migrations: EventMigrationHandler,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Known event types with the version reads are upcast to' })
  @ApiOkResponse({ type: EventTypeListDto })
  async list(@CurrentPrincipal() principal: Principal): Promise<EventTypeListDto> {
    const stats = await this.store.getStatistics(principal.tenantId);
    const names = new Set<string>(Object.keys(stats.byEventType));
    for (const t of this.registeredTypes()) names.add(typeof t === 'string' ? t : t.eventType);
    const items: EventTypeDto[] = [...names].sort().map((eventType) => ({
      eventType,
      latestVersion: this.migrations.getLatestVersion(eventType),
      storedEvents: stats.byEventType[eventType] ?? 0,
    }));
    return { items };
  }

  // listEventTypes is newer than getLatestVersion; tolerate a handler without it.
  private registeredTypes(): ListedType[] {
    const handler = this.migrations as unknown as { listEventTypes?: () => ListedType[] };
    return typeof handler.listEventTypes === 'function' ? handler.listEventTypes() : [];
  }
}
