import { ConcurrencyError, EventNotFoundError, EventValidationError, StreamNotFoundError } from '@nest-event-store/core';
import { parseToolPrefix } from '../config/app-config';
import { ToolFailure, toArgumentName, toolError } from './tool-result';

const textOf = (error: unknown): string => {
  const result = toolError(error, 'emit_event');
  expect(result.isError).toBe(true);
  const [content] = result.content;
  return content.type === 'text' ? content.text : '';
};

describe('MCP tool errors', () => {
  it.each([
    ['events[0].aggregateId', 'aggregate_id'],
    ['events[0].eventType', 'event_type'],
    ['events[0].data.title', 'data.title'],
    ['events[0].metadata.subjectIds[2]', 'metadata.subjectIds[2]'],
    ['options.expectedVersion', 'expected_version'],
    ['eventTypes[1]', 'event_types[1]'],
    ['keyword', 'keyword'],
    ['cursor', 'cursor'],
  ])('names the library field %s as the argument %s', (field, argument) => {
    expect(toArgumentName(field)).toBe(argument);
  });

  it('maps validation, conflicts, misses and failures to tool errors with the reason', () => {
    expect(textOf(new EventValidationError([{ field: 'events[0].eventType', reason: 'is required' }]))).toBe(
      'Invalid arguments: event_type: is required',
    );
    expect(textOf(new ConcurrencyError('t-1', 'no_stream', 3))).toMatch(
      /^Concurrency conflict .*expected_version no_stream, actual version 3$/,
    );
    expect(textOf(new StreamNotFoundError('t-1'))).toBe("Not found (STREAM_NOT_FOUND): No stream 't-1' in this tenant");
    expect(textOf(new EventNotFoundError('e-1'))).toBe("Not found (EVENT_NOT_FOUND): No event 'e-1' in this tenant");
    expect(textOf(new ToolFailure('Forbidden: emit_event requires the writer role'))).toBe(
      'Forbidden: emit_event requires the writer role',
    );
  });

  it('reports an unexpected error without its internals', () => {
    expect(textOf(new TypeError('secret internals at /srv/app.js'))).toBe('Internal error in emit_event');
  });
});

describe('MCP_TOOL_PREFIX', () => {
  it('accepts snake_case prefixes and none', () => {
    expect(parseToolPrefix('mcp_meta_')).toBe('mcp_meta_');
    expect(parseToolPrefix('')).toBeUndefined();
    expect(parseToolPrefix(undefined)).toBeUndefined();
  });
  it.each(['Mcp_', '1abc', 'a-b', 'a'.repeat(41), 'mcp meta'])('refuses %j', (value) => {
    expect(() => parseToolPrefix(value)).toThrow(/MCP_TOOL_PREFIX must be/);
  });
});
