import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import type { Response } from 'express';
import { Public } from '../common/auth/public.decorator';
import { EventStoreHealthIndicator } from './event-store.health';

/** Liveness/readiness for load balancers and orchestrators; needs no token. */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly eventStore: EventStoreHealthIndicator,
  ) {}

  @Public()
  @Get()
  @HealthCheck()
  @ApiOperation({ summary: '200 while the database answers, 503 otherwise' })
  @ApiOkResponse({ description: '{ status: "ok", info, error, details }' })
  @ApiServiceUnavailableResponse({ description: '{ status: "error", info, error, details }' })
  async check(@Res({ passthrough: true }) res: Response): Promise<HealthCheckResult> {
    try {
      return await this.health.check([() => this.eventStore.isHealthy()]);
    } catch (error) {
      // Terminus reports "down" as a 503 exception carrying the check result;
      // a health answer keeps that standard body rather than the error shape.
      if (!(error instanceof ServiceUnavailableException)) throw error;
      res.status(503).setHeader('Retry-After', '5');
      return error.getResponse() as HealthCheckResult;
    }
  }
}
