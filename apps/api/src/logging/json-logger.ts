import { LogLevel, LoggerService } from '@nestjs/common';

const ORDER: LogLevel[] = ['verbose', 'debug', 'log', 'warn', 'error', 'fatal'];

/**
 * Writes one JSON object per line (`time`, `level`, `context`, `message`,
 * and `stack` for errors), the shape log collectors parse without
 * configuration.
 */
export class JsonLogger implements LoggerService {
  private minimum: number;

  /** @param level lowest level written. @default 'log' */
  constructor(
    level: LogLevel = 'log',
    private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  ) {
    this.minimum = ORDER.indexOf(level) < 0 ? ORDER.indexOf('log') : ORDER.indexOf(level);
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
    const entry: Record<string, unknown> = { time: new Date().toISOString(), level, context };
    entry.message = message instanceof Error ? message.message : message;
    if (stack) entry.stack = stack;
    this.write(JSON.stringify(entry));
  }
}
