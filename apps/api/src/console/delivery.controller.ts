import { Body, Controller, Get, HttpCode, NotFoundException, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DeadLetter, SubscriptionManager } from '@nest-event-store/core';
import { CurrentPrincipal } from '../common/auth/current-principal.decorator';
import { Principal } from '../common/auth/principal';
import { Roles } from '../common/auth/roles.decorator';
import { ApiAuthenticatedErrorResponses, ApiErrorResponses } from '../common/http/api-error-responses.decorator';
import {
  DeadLetterDto,
  DeadLetterListDto,
  DeadLetterQuery,
  RetryDeadLettersDto,
  RetryDeadLettersResultDto,
  SubscriptionInfoDto,
  SubscriptionListDto,
} from './dto/delivery.dto';

/**
 * Delivery as the console shows it: the subscriptions and projections of this
 * process with their lag, and the caller's tenant's dead letters. Subscriptions
 * span every tenant, so their checkpoints and lag are store-wide numbers; dead
 * letters name events, so a tenant sees only its own.
 */
@ApiTags('delivery')
@ApiBearerAuth()
@ApiAuthenticatedErrorResponses()
@Controller('delivery')
export class DeliveryController {
  constructor(private readonly subscriptions: SubscriptionManager) {}

  @Get('subscriptions')
  @Roles('auditor', 'writer')
  @ApiOperation({ summary: 'Subscriptions and projections of this process: checkpoint, lag, lease, dead letters of the tenant' })
  @ApiOkResponse({ type: SubscriptionListDto })
  async list(@CurrentPrincipal() principal: Principal): Promise<SubscriptionListDto> {
    const letters = await this.tenantDeadLetters(principal.tenantId);
    const items = await Promise.all(
      this.subscriptions.names().map(async (name): Promise<SubscriptionInfoDto> => {
        const [status, lag] = await Promise.all([this.subscriptions.getStatus(name), this.subscriptions.getLag(name)]);
        return {
          name,
          kind: status.kind,
          checkpointPosition: status.checkpoint?.globalPosition ?? null,
          headPosition: lag.headPosition,
          eventsBehind: lag.eventsBehind,
          owner: status.owner,
          leaseUntil: status.leaseUntil?.toISOString() ?? null,
          deadLetters: letters.filter((d) => d.subscriptionName === name).length,
        };
      }),
    );
    return { items: items.sort((a, b) => a.name.localeCompare(b.name)) };
  }

  @Get('dead-letters')
  @Roles('auditor', 'writer')
  @ApiOperation({ summary: "The caller's tenant's dead letters, in event order" })
  @ApiOkResponse({ type: DeadLetterListDto })
  @ApiErrorResponses(400, 404)
  async deadLetters(@Query() query: DeadLetterQuery, @CurrentPrincipal() principal: Principal): Promise<DeadLetterListDto> {
    if (query.subscription !== undefined) this.assertKnown(query.subscription);
    const letters = await this.tenantDeadLetters(principal.tenantId, query.subscription);
    return { items: letters.map(toDeadLetterJson) };
  }

  @Post('dead-letters/retry')
  @HttpCode(200)
  @Roles('writer')
  @ApiOperation({ summary: "Hands the tenant's dead letters (all, or those named) to their subscription again" })
  @ApiOkResponse({ type: RetryDeadLettersResultDto })
  @ApiErrorResponses(400, 404, 413)
  async retry(@Body() body: RetryDeadLettersDto, @CurrentPrincipal() principal: Principal): Promise<RetryDeadLettersResultDto> {
    this.assertKnown(body.subscription);
    const own = (await this.tenantDeadLetters(principal.tenantId, body.subscription)).map((d) => d.id);
    // Another tenant's id answers like an unknown one, as everywhere in the API.
    const unknown = body.ids?.find((id) => !own.includes(id));
    if (unknown !== undefined)
      throw new NotFoundException(`No dead letter '${unknown}' of subscription '${body.subscription}' in this tenant`);
    const ids = body.ids ?? own;
    if (!ids.length) return { succeeded: 0, failed: 0 };
    return this.subscriptions.retryDeadLetters(body.subscription, ids);
  }

  private assertKnown(name: string): void {
    if (!this.subscriptions.names().includes(name)) throw new NotFoundException(`No subscription or projection '${name}' in this process`);
  }

  private async tenantDeadLetters(tenantId: string, name?: string): Promise<DeadLetter[]> {
    return (await this.subscriptions.listDeadLetters(name)).filter((d) => d.tenantId === tenantId);
  }
}

function toDeadLetterJson(d: DeadLetter): DeadLetterDto {
  return {
    id: d.id,
    subscriptionName: d.subscriptionName,
    globalPosition: d.globalPosition,
    eventId: d.eventId,
    eventType: d.eventType,
    error: d.error,
    attempts: d.attempts,
    parkedAt: d.parkedAt.toISOString(),
  };
}
