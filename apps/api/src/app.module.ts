import { DynamicModule, Module } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EventStoreModule } from '@nest-event-store/core';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './common/auth/auth.module';
import { MetricsModule } from './common/metrics/metrics.module';
import { AppConfig } from './config/app-config';
import { APP_CONFIG, AppConfigModule } from './config/app-config.module';
import { DatabaseModule } from './database/database.module';
import { GdprModule } from './gdpr/gdpr.module';
import { HealthModule } from './health/health.module';
import { RequirementsModule } from './requirements/requirements.module';
import { requirementsMigrations } from './requirements/requirements.migrations';

/** The reference application: the event store, its REST API and the requirements domain. */
@Module({})
export class AppModule {
  /** Builds the module tree for one resolved configuration (main.ts and the e2e tests). */
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        // The app owns the DataSource (embedded PGlite or DATABASE_URL); the store shares it.
        DatabaseModule.forRoot(config),
        EventStoreModule.forRootAsync({
          inject: [APP_CONFIG, getDataSourceToken()],
          useFactory: (c: AppConfig, dataSource: DataSource) => ({
            dataSource,
            migrationsUrl: c.databaseUrl ? c.migrationsDatabaseUrl : undefined,
            rolePrefix: c.rolePrefix,
            schemaMigrations: requirementsMigrations(c.rolePrefix),
            horizonWarningSeconds: c.horizonWarningSeconds,
          }),
        }),
        AuthModule,
        MetricsModule,
        AuditModule,
        GdprModule,
        HealthModule,
        RequirementsModule,
      ],
    };
  }
}
