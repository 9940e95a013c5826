import { AppLogger } from './app-logger';
import { resolveLogFormat, resolveLogLevel } from './log-format';

describe('AppLogger', () => {
  const capture = (format: 'json' | 'pretty', request = {}) => {
    const lines: string[] = [];
    const logger = new AppLogger({ format, write: (l) => lines.push(l), context: () => request });
    return { logger, lines };
  };

  it('writes JSON with the request fields between context and message', () => {
    const { logger, lines } = capture('json', { correlationId: 'c-1', tenantId: 'acme' });
    logger.warn('careful', 'Store');
    expect(JSON.parse(lines[0])).toEqual({
      time: expect.any(String),
      level: 'warn',
      context: 'Store',
      correlationId: 'c-1',
      tenantId: 'acme',
      message: 'careful',
    });
  });

  it('writes one readable line with the request fields in development, and the stack below an error', () => {
    const { logger, lines } = capture('pretty', { correlationId: 'c-2', tenantId: 'acme' });
    logger.log('hello', 'HTTP');
    logger.error('boom', 'Error: boom\n    at here', 'HTTP');
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} LOG {5}\[HTTP\] hello \(correlationId=c-2 tenantId=acme\)$/);
    expect(lines[1].split('\n')).toEqual([
      expect.stringMatching(/ERROR {3}\[HTTP\] boom \(correlationId=c-2 tenantId=acme\)$/),
      'Error: boom',
      '    at here',
    ]);
  });

  it('leaves the request fields out when no request is being handled, and drops lines below its level', () => {
    const lines: string[] = [];
    const logger = new AppLogger({ format: 'pretty', level: 'warn', write: (l) => lines.push(l) });
    logger.log('dropped');
    logger.warn({ structured: true });
    expect(lines).toEqual([expect.stringMatching(/WARN {4}\{"structured":true\}$/)]);
  });
});

describe('resolveLogFormat / resolveLogLevel', () => {
  it('is JSON in production, readable elsewhere, and LOG_FORMAT wins', () => {
    expect(resolveLogFormat({ NODE_ENV: 'production' })).toBe('json');
    expect(resolveLogFormat({})).toBe('pretty');
    expect(resolveLogFormat({ NODE_ENV: 'production', LOG_FORMAT: 'pretty' })).toBe('pretty');
    expect(resolveLogFormat({ LOG_FORMAT: 'json' })).toBe('json');
    expect(resolveLogFormat({ LOG_FORMAT: 'xml' })).toBe('pretty');
  });

  it('takes LOG_LEVEL when it is a Nest level', () => {
    expect(resolveLogLevel({ LOG_LEVEL: 'debug' })).toBe('debug');
    expect(resolveLogLevel({ LOG_LEVEL: 'loud' })).toBe('log');
    expect(resolveLogLevel({}, 'warn')).toBe('warn');
  });
});
