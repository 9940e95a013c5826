import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { EventStoreHealthIndicator } from './event-store.health';
import { HealthController } from './health.controller';
import { ReadHorizonHealthIndicator } from './read-horizon.health';
import { SubscriptionsHealthIndicator } from './subscriptions.health';

/** GET /api/health (terminus, plus the event log's read horizon and delivery to subscriptions). */
@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json' })],
  controllers: [HealthController],
  providers: [EventStoreHealthIndicator, ReadHorizonHealthIndicator, SubscriptionsHealthIndicator],
})
export class HealthModule {}
