import { hostname } from 'node:os';
import { INestApplicationContext, LogLevel } from '@nestjs/common';
import { DataDirLockedError, EventStoreModuleOptions } from '@nest-event-store/core';
import { AppConfig, loadConfig } from '../config/app-config';
import { ConfigError } from '../config/config.error';
import { JsonLogger } from '../logging/json-logger';
import { CliError, EXIT } from './exit-codes';

/** How a command boots the app. */
export type CliBoot = Pick<EventStoreModuleOptions, 'migrationsRun' | 'checkTransactionHorizon'>;

/** The booted app of one command, and the configuration it was built from. */
export interface CliApp {
  app: INestApplicationContext;
  config: AppConfig;
}

/**
 * Boots the app's module tree as `npm start` would (DATABASE_URL, or the
 * embedded database under DATA_DIR; the app's projections and subscribers
 * registered) but serves nothing and delivers nothing: no HTTP server, and
 * delivery off, so the command never takes a running app's subscriptions
 * over. Log lines (LOG_LEVEL, default warn) go to stderr as JSON.
 * @throws CliError: exit 3 when the embedded data folder is held by a running app, 1 for bad configuration
 */
export async function bootApp(boot: CliBoot = {}): Promise<CliApp> {
  let config: AppConfig;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message, EXIT.failure, 'CONFIG');
    throw error;
  }
  const logger = new JsonLogger((process.env.LOG_LEVEL as LogLevel | undefined) ?? 'warn', (line) => process.stderr.write(`${line}\n`));
  // Loaded only now: `--help` and bad usage are answered without loading the whole app.
  const [{ NestFactory }, { AppModule }] = await Promise.all([import('@nestjs/core'), import('../app.module')]);
  const delivery = { enabled: false, ownerId: `cli:${hostname()}:${process.pid}` };
  try {
    const app = await NestFactory.createApplicationContext(AppModule.forRoot(config, { ...boot, delivery }), {
      logger,
      abortOnError: false,
    });
    return { app, config };
  } catch (error) {
    if (error instanceof DataDirLockedError) {
      throw new CliError(
        `${error.message}.\nThe embedded database serves one process at a time: stop the app first, or run the app and this command against a PostgreSQL server (DATABASE_URL).`,
        EXIT.refused,
        error.code,
      );
    }
    throw error;
  }
}

/** Boots the app, runs `work`, and closes the app whatever happens. */
export async function withApp<T>(work: (cli: CliApp) => Promise<T>, boot: CliBoot = {}): Promise<T> {
  const cli = await bootApp(boot);
  try {
    return await work(cli);
  } finally {
    await cli.app.close();
  }
}
