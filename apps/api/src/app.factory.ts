import { INestApplication, LoggerService, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module';
import { AppConfig } from './config/app-config';
import { correlationIdMiddleware } from './common/correlation/correlation-id.middleware';
import { AllExceptionsFilter } from './common/filters/all-exceptions.filter';
import { createValidationPipe } from './common/http/validation.pipe';
import { httpMetricsMiddleware } from './common/metrics/http-metrics.middleware';
import { MetricsService } from './common/metrics/metrics.service';
import { serveConsole } from './console/console-static';
import { requestContextMiddleware } from './logging/request-context.middleware';
import { requestLogMiddleware } from './logging/request-log.middleware';
import { httpTracingMiddleware } from './tracing/http-tracing.middleware';

/** Options of createApp beyond the configuration. */
export interface CreateAppOptions {
  /** Nest logger; `false` silences it (tests). @default Nest's console logger */
  logger?: LoggerService | LogLevel[] | false;
  /**
   * `false`: a failure at startup is thrown to the caller (main.ts prints it)
   * instead of Nest logging it and exiting. @default true
   */
  abortOnError?: boolean;
}

/**
 * Creates the API (not yet listening) for a configuration, set up exactly as
 * in production. main.ts and the e2e tests both go through here.
 */
export async function createApp(config: AppConfig, options: CreateAppOptions = {}): Promise<NestExpressApplication> {
  // Nest's own body parser is off: configureApp installs one with the configured limit.
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bodyParser: false,
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    ...(options.abortOnError === undefined ? {} : { abortOnError: options.abortOnError }),
  });
  configureApp(app, config);
  return app;
}

/**
 * Global prefix, the console's static files, middleware order, body limit,
 * validation, the error filter, OpenAPI and shutdown hooks. Order matters: the request context,
 * correlation, tracing, the request log and metrics run before the body parser so that 413 and
 * malformed-JSON answers carry a correlation id, are traced, logged and counted.
 */
export function configureApp(app: NestExpressApplication, config: AppConfig): INestApplication {
  app.setGlobalPrefix('api');
  serveConsole(app);
  // The request context (correlation id, tenant) first, so that every later line and span of the request can read it.
  app.use(requestContextMiddleware());
  app.use(correlationIdMiddleware);
  app.use(httpTracingMiddleware);
  app.use(requestLogMiddleware());
  app.use(httpMetricsMiddleware(app.get(MetricsService)));
  app.useBodyParser('json', { limit: config.bodyLimitBytes });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter());
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Event store API')
      .setDescription(
        'Multi-tenant, append-only event store: appends, audit queries, GDPR redaction. Tenancy comes from the bearer token only.',
      )
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  return app;
}
