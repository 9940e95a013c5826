import { LogLevel } from '@nestjs/common';
import { AppLogger } from './app-logger';

/**
 * AppLogger in its JSON format: one object per line (`time`, `level`,
 * `context`, the request's `correlationId` and `tenantId` when there is
 * one, `message`, and `stack` for errors), the shape log collectors parse
 * without configuration.
 */
export class JsonLogger extends AppLogger {
  /** @param level lowest level written. @default 'log' */
  constructor(level: LogLevel = 'log', write?: (line: string) => void) {
    super({ level, format: 'json', write });
  }
}
