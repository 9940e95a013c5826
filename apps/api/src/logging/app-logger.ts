import { LogLevel, LoggerService } from '@nestjs/common';
import { LogFormat } from './log-format';
import { RequestContext, currentRequestContext } from './request-context';

const ORDER: LogLevel[] = ['verbose', 'debug', 'log', 'warn', 'error', 'fatal'];

/** Options of AppLogger. */
export interface AppLoggerOptions {
  /** Lowest level written. @default 'log' */
  level?: LogLevel;
  /** @default 'json' */
  format?: LogFormat;
  /** Where a finished line goes. @default process.stdout */
  write?: (line: string) => void;
  /** Fields of the current request. @default currentRequestContext (nestjs-cls) */
  context?: () => RequestContext;
}

/**
 * The app's logger. Every line written while a request is handled carries
 * that request's `correlationId` and `tenantId` (once the token is
 * verified), whichever code logs it. `json` writes one object per line
 * (`time`, `level`, `context`, `message`, the request fields, and `stack`
 * for errors); `pretty` writes the same as one readable line.
 */
export class AppLogger implements LoggerService {
  private minimum: number;
  private readonly format: LogFormat;
  private readonly write: (line: string) => void;
  private readonly context: () => RequestContext;

  constructor(options: AppLoggerOptions = {}) {
    const level = options.level ?? 'log';
    this.minimum = ORDER.indexOf(level) < 0 ? ORDER.indexOf('log') : ORDER.indexOf(level);
    this.format = options.format ?? 'json';
    this.write = options.write ?? ((line) => process.stdout.write(`${line}\n`));
    this.context = options.context ?? currentRequestContext;
  }

  log(message: unknown, ...params: unknown[]): void {
    this.print('log', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.print('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.print('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.print('verbose', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.print('fatal', message, params, true);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.print('error', message, params, true);
  }

  setLogLevels(levels: LogLevel[]): void {
    this.minimum = Math.min(...levels.map((l) => ORDER.indexOf(l)).filter((i) => i >= 0), ORDER.length - 1);
  }

  private print(level: LogLevel, message: unknown, params: unknown[], withStack = false): void {
    if (ORDER.indexOf(level) < this.minimum) return;
    // Nest passes (message, context) or, for errors, (message, stack, context).
    const rest = [...params];
    const context = rest.length && typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    const stack =
      withStack && typeof rest[0] === 'string' ? (rest.shift() as string) : message instanceof Error ? message.stack : undefined;
    const text = message instanceof Error ? message.message : message;
    const time = new Date().toISOString();
    const request = this.context();
    if (this.format === 'pretty') {
      this.write(prettyLine(time, level, context, text, request, stack));
      return;
    }
    const entry: Record<string, unknown> = { time, level, context, ...request, message: text };
    if (stack) entry.stack = stack;
    this.write(JSON.stringify(entry));
  }
}

/** `07:41:50.123 WARN  [HTTP] message (correlationId=… tenantId=…)`, and the stack on the following lines. */
function prettyLine(time: string, level: LogLevel, context: string | undefined, text: unknown, request: RequestContext, stack?: string) {
  const fields = Object.entries(request)
    .map(([key, value]) => `${key}=${value}`)
    .join(' ');
  const body = typeof text === 'string' ? text : JSON.stringify(text);
  const line = `${time.slice(11, 23)} ${level.toUpperCase().padEnd(7)} ${context ? `[${context}] ` : ''}${body}${fields ? ` (${fields})` : ''}`;
  return stack ? `${line}\n${stack}` : line;
}
