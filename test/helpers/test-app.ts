import { randomBytes } from 'node:crypto';
import { DynamicModule, LoggerService, Module, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DatabaseMode, EventStoreDatabase, TestDatabase, createTestDatabase, waitForHorizon } from '@nest-event-store/core/testing';
import { AppModule } from '../../apps/api/src/app.module';
import { configureApp, createApp } from '../../apps/api/src/app.factory';
import { AppConfig } from '../../apps/api/src/config/app-config';
import { Role } from '../../apps/api/src/common/auth/role';
import { signToken } from '../../apps/api/src/common/auth/sign-token';

/** The API running in-process on a fresh database, for one e2e file. */
export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  testDatabase: TestDatabase;
  /** A supertest client bound to the app's HTTP server. */
  http(): ReturnType<typeof request>;
  /** A valid token for a tenant with roles (default: every role). */
  token(tenantId: string, roles?: Role[], sub?: string): string;
  /**
   * Waits until committed events are visible to gap-safe reads (GET /api/events):
   * a transaction of the app's database still in flight (a projection's chunk) holds the horizon back.
   */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/** Modules a test adds beside the app's own (a subscriber that fails on purpose). */
export interface TestAppOptions {
  imports?: Array<Type<unknown> | DynamicModule>;
  /** The app's logger (a test that reads the log lines). @default none: silent */
  logger?: LoggerService;
}

/**
 * Boots the API exactly as main.ts does (createApp), on a fresh database of the given mode;
 * with `options.imports`, the same app with those modules beside AppModule.
 */
export async function openTestApp(mode: DatabaseMode, overrides: Partial<AppConfig> = {}, options: TestAppOptions = {}): Promise<TestApp> {
  const testDatabase = await createTestDatabase(mode);
  const config: AppConfig = {
    port: 0,
    databaseUrl: testDatabase.databaseUrl,
    embeddedDataDir: testDatabase.dataDir ?? 'memory://',
    jwtSecret: randomBytes(32).toString('hex'),
    bodyLimitBytes: 1024 * 1024,
    processMetrics: false,
    horizonWarningSeconds: 30,
    ...overrides,
  };
  const logger = options.logger ?? false;
  const app = options.imports?.length ? await createAppWith(config, options.imports, logger) : await createApp(config, { logger });
  await app.init();
  return {
    app,
    config,
    testDatabase,
    http: () => request(app.getHttpServer()),
    token: (tenantId, roles = ['auditor', 'writer', 'dpo'], sub = 'alice') => signToken({ secret: config.jwtSecret, tenantId, roles, sub }),
    settle: () => waitForHorizon(app.get(EventStoreDatabase)),
    close: async () => {
      await app.close();
      await testDatabase.drop();
    },
  };
}

async function createAppWith(
  config: AppConfig,
  imports: Array<Type<unknown> | DynamicModule>,
  logger: LoggerService | false,
): Promise<NestExpressApplication> {
  @Module({ imports: [AppModule.forRoot(config), ...imports] })
  class TestRootModule {}
  const app = await NestFactory.create<NestExpressApplication>(TestRootModule, { bodyParser: false, logger });
  configureApp(app, config);
  return app;
}
