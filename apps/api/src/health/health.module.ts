import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { EventStoreHealthIndicator } from './event-store.health';
import { HealthController } from './health.controller';
import { ReadHorizonHealthIndicator } from './read-horizon.health';

/** GET /api/health (terminus, plus the event log's read horizon). */
@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json' })],
  controllers: [HealthController],
  providers: [EventStoreHealthIndicator, ReadHorizonHealthIndicator],
})
export class HealthModule {}
