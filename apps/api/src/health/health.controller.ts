import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import type { Response } from 'express';
import { Public } from '../common/auth/public.decorator';
import { EventStoreHealthIndicator } from './event-store.health';
import { ReadHorizonHealthIndicator } from './read-horizon.health';
import { SubscriptionsHealthIndicator } from './subscriptions.health';

/** Terminus' result, plus `degraded`: the app serves, but readers of the event log are held back or delivery lags. */
export type HealthReport = Omit<HealthCheckResult, 'status' | 'info' | 'details'> & {
  status: HealthCheckResult['status'] | 'degraded';
  info?: Record<string, { status: string } | undefined>;
  details: Record<string, { status: string } | undefined>;
};

/** Liveness/readiness for load balancers and orchestrators; needs no token. */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly eventStore: EventStoreHealthIndicator,
    private readonly readHorizon: ReadHorizonHealthIndicator,
    private readonly subscriptions: SubscriptionsHealthIndicator,
  ) {}

  @Public()
  @Get()
  @HealthCheck()
  @ApiOperation({
    summary:
      '200 while the database answers (status "ok", or "degraded" while a stuck transaction holds event readers back, or a subscription lags or has dead letters), 503 otherwise',
  })
  @ApiOkResponse({
    description:
      '{ status: "ok" | "degraded", info, error, details } (details.readHorizon names the stuck transaction; details.subscriptions lists each subscription and projection with its lease, lag and dead letters)',
  })
  @ApiServiceUnavailableResponse({ description: '{ status: "error", info, error, details }' })
  async check(@Res({ passthrough: true }) res: Response): Promise<HealthReport> {
    let result: HealthCheckResult;
    try {
      result = await this.health.check([() => this.eventStore.isHealthy()]);
    } catch (error) {
      // Terminus reports "down" as a 503 exception carrying the check result;
      // a health answer keeps that standard body rather than the error shape.
      if (!(error instanceof ServiceUnavailableException)) throw error;
      res.status(503).setHeader('Retry-After', '5');
      return error.getResponse() as HealthCheckResult;
    }
    // Degraded stays 200: the API serves reads and writes; only delivery and
    // event pages lag. Orchestrators should not restart it for that.
    const [horizon, subscriptions] = await Promise.all([this.readHorizon.check(), this.subscriptions.check()]);
    const extra = { ...(horizon ? { readHorizon: horizon } : {}), ...(subscriptions ? { subscriptions } : {}) };
    const degraded = Object.values(extra).some((entry) => entry.status === 'degraded');
    return {
      ...result,
      status: degraded ? 'degraded' : result.status,
      info: { ...result.info, ...extra },
      details: { ...result.details, ...extra },
    };
  }
}
