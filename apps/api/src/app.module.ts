import { DynamicModule, Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { getDataSourceToken } from '@nestjs/typeorm';
import { ClsModule } from 'nestjs-cls';
import { DataSource } from 'typeorm';
import { EventStoreModule, EventStoreModuleOptions } from '@nest-event-store/core';
import { EventStoreEventEmitterModule } from '@nest-event-store/core/event-emitter';
import { AgentCatalogueForMcp } from './agents/agent-catalogue.mcp';
import { AgentsModule } from './agents/agents.module';
import { agentsMigrations } from './agents/agents.migrations';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './common/auth/auth.module';
import { ConsoleModule } from './console/console.module';
import { MetricsModule } from './common/metrics/metrics.module';
import { AppConfig } from './config/app-config';
import { APP_CONFIG, AppConfigModule } from './config/app-config.module';
import { DatabaseModule } from './database/database.module';
import { GdprModule } from './gdpr/gdpr.module';
import { HealthModule } from './health/health.module';
import { McpModule } from './mcp/mcp.module';
import { RequirementsModule } from './requirements/requirements.module';
import { requirementsMigrations } from './requirements/requirements.migrations';
import { TracingShutdown } from './tracing/tracing-shutdown';

/**
 * The reference application: the event store, its REST API, the requirements
 * domain, and the agent-orchestration domain with capture of the app's
 * emitter events (`task:started`, `agent:registered`, …; the payload names
 * its tenant: there is no default tenant in a multi-tenant API).
 */
@Module({})
export class AppModule {
  /**
   * Builds the module tree for one resolved configuration (main.ts and the e2e tests).
   * @param store overrides of the event store's options, for tools that boot the app without serving it
   *   (the command line turns delivery off: it must not take over the running app's subscriptions)
   */
  static forRoot(
    config: AppConfig,
    store: Pick<EventStoreModuleOptions, 'delivery' | 'migrationsRun' | 'checkTransactionHorizon'> = {},
  ): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        // The request context of every log line; its middleware is mounted first by configureApp, not by Nest.
        ClsModule.forRoot({ global: true, middleware: { mount: false } }),
        // The app owns the DataSource (embedded PGlite or DATABASE_URL); the store shares it.
        DatabaseModule.forRoot(config),
        EventStoreModule.forRootAsync({
          inject: [APP_CONFIG, getDataSourceToken()],
          useFactory: (c: AppConfig, dataSource: DataSource) => ({
            dataSource,
            migrationsUrl: c.databaseUrl ? c.migrationsDatabaseUrl : undefined,
            rolePrefix: c.rolePrefix,
            schemaMigrations: [...requirementsMigrations(c.rolePrefix), ...agentsMigrations(c.rolePrefix)],
            horizonWarningSeconds: c.horizonWarningSeconds,
            ...store,
          }),
        }),
        EventEmitterModule.forRoot(),
        EventStoreEventEmitterModule.forRoot(),
        AuthModule,
        MetricsModule,
        AuditModule,
        GdprModule,
        HealthModule,
        RequirementsModule,
        AgentsModule,
        ConsoleModule.forRoot({ devTokens: config.devTokens ?? false }),
        McpModule,
      ],
      // The agent catalogue, described to the MCP tools (both modules stay independent of each other).
      // TracingShutdown flushes the spans of an OTLP exporter that main.ts registered.
      providers: [AgentCatalogueForMcp, TracingShutdown],
    };
  }
}
