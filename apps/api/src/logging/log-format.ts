import { LogLevel } from '@nestjs/common';

/** `json`: one object per line for collectors; `pretty`: one readable line for a person at a terminal. */
export type LogFormat = 'json' | 'pretty';

/**
 * LOG_FORMAT (`json` or `pretty`) wins; otherwise JSON in production
 * (NODE_ENV=production) and the readable format everywhere else.
 */
export function resolveLogFormat(env: NodeJS.ProcessEnv = process.env): LogFormat {
  if (env.LOG_FORMAT === 'json' || env.LOG_FORMAT === 'pretty') return env.LOG_FORMAT;
  return env.NODE_ENV === 'production' ? 'json' : 'pretty';
}

/** LOG_LEVEL, or `fallback` when unset or not one of Nest's levels. */
export function resolveLogLevel(env: NodeJS.ProcessEnv = process.env, fallback: LogLevel = 'log'): LogLevel {
  const levels: LogLevel[] = ['verbose', 'debug', 'log', 'warn', 'error', 'fatal'];
  return levels.includes(env.LOG_LEVEL as LogLevel) ? (env.LOG_LEVEL as LogLevel) : fallback;
}
