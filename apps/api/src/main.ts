import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { DataDirLockedError } from '@nest-event-store/core';
import { createApp } from './app.factory';
import { loadConfig } from './config/app-config';
import { ConfigError } from './config/config.error';
import { AppLogger } from './logging/app-logger';
import { resolveLogFormat, resolveLogLevel } from './logging/log-format';
import { startTracing } from './tracing/tracing';

async function bootstrap(): Promise<void> {
  const logger = new AppLogger({ level: resolveLogLevel(process.env), format: resolveLogFormat(process.env) });
  // Before the app: spans of startup work are exported too. Off unless OTEL_* asks for OTLP.
  const tracing = startTracing(process.env);
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      logger.fatal(error.message, 'Config');
      process.exit(1);
    }
    throw error;
  }
  const app = await createApp(config, { logger, abortOnError: false });
  await app.listen(config.port);
  const log = new Logger('Bootstrap');
  if (tracing) log.log('Exporting traces over OTLP (OTEL_EXPORTER_OTLP_* settings)');
  log.log(
    `Listening on ${await app.getUrl()}/api (docs at /api/docs); database: ${config.databaseUrl ? 'PostgreSQL server' : `embedded PGlite in ${config.embeddedDataDir}`}`,
  );
  if (config.jwtSecretFile) {
    log.warn(
      `No JWT_SECRET set: using the development secret in ${config.jwtSecretFile}. Mint a token with: npm run token -- --tenant acme --roles auditor,writer,dpo`,
    );
  }
}

bootstrap().catch((error: unknown) => {
  // Another process serves this DATA_DIR: say so plainly, no stack trace (nothing is wrong with this one).
  if (error instanceof DataDirLockedError) {
    process.stdout.write(
      `${JSON.stringify({ time: new Date().toISOString(), level: 'fatal', context: 'EventStore', code: error.code, message: error.message })}\n`,
    );
    process.exit(1);
  }
  process.stdout.write(
    `${JSON.stringify({ time: new Date().toISOString(), level: 'fatal', context: 'Bootstrap', message: error instanceof Error ? error.message : String(error), stack: error instanceof Error ? error.stack : undefined })}\n`,
  );
  process.exit(1);
});
