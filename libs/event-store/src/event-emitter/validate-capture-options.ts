import { InvalidEventStoreOptionsError } from '../errors/invalid-options.error';
import { EventEmitterCaptureOptions } from './event-emitter-capture.options';

const KEYS = ['mappings', 'tenantIdField', 'defaultTenantId', 'enabled', 'source', 'retry', 'maxDeadLetters', 'onDeadLetter'];
const MAPPING_KEYS = ['eventType', 'aggregateType', 'aggregateIdFields', 'defaultAggregateId', 'eventVersion'];
const RETRY_KEYS = ['maxAttempts', 'initialDelayMs', 'maxDelayMs'];

/**
 * Checks the capture options at startup.
 * @throws InvalidEventStoreOptionsError naming the option (e.g. `eventEmitter.mappings.task:started.aggregateIdFields`)
 */
export function validateCaptureOptions(options: EventEmitterCaptureOptions): void {
  const fail = (option: string, reason: string): never => {
    throw new InvalidEventStoreOptionsError(`eventEmitter.${option}`, reason);
  };
  known('', options, KEYS, fail);
  for (const key of ['tenantIdField', 'defaultTenantId', 'source'] as const) {
    const value = options[key];
    if (value !== undefined && (typeof value !== 'string' || !value)) fail(key, 'must be a non-empty string');
  }
  if (options.enabled !== undefined && typeof options.enabled !== 'boolean') fail('enabled', 'must be a boolean');
  if (options.onDeadLetter !== undefined && typeof options.onDeadLetter !== 'function') fail('onDeadLetter', 'must be a function');
  integer('maxDeadLetters', options.maxDeadLetters, 0, fail);
  if (options.retry !== undefined) {
    known('retry', options.retry, RETRY_KEYS, fail);
    integer('retry.maxAttempts', options.retry.maxAttempts, 1, fail);
    integer('retry.initialDelayMs', options.retry.initialDelayMs, 0, fail);
    integer('retry.maxDelayMs', options.retry.maxDelayMs, 0, fail);
  }
  if (options.mappings === undefined) return;
  if (typeof options.mappings !== 'object' || options.mappings === null) fail('mappings', 'must be an object');
  for (const [name, mapping] of Object.entries(options.mappings)) {
    const at = `mappings.${name}`;
    known(at, mapping, MAPPING_KEYS, fail);
    for (const key of ['eventType', 'aggregateType'] as const) {
      if (typeof mapping[key] !== 'string' || !mapping[key]) fail(`${at}.${key}`, 'must be a non-empty string');
    }
    const fields = mapping.aggregateIdFields;
    if (!Array.isArray(fields) || !fields.length || fields.some((f) => typeof f !== 'string' || !f))
      fail(`${at}.aggregateIdFields`, 'must be a non-empty array of field names');
    if (mapping.defaultAggregateId !== undefined && (typeof mapping.defaultAggregateId !== 'string' || !mapping.defaultAggregateId))
      fail(`${at}.defaultAggregateId`, 'must be a non-empty string');
    integer(`${at}.eventVersion`, mapping.eventVersion, 1, fail);
  }
}

function known(at: string, value: unknown, keys: string[], fail: (option: string, reason: string) => never): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(at || '(root)', 'must be an object');
  const unknown = Object.keys(value as object).filter((k) => !keys.includes(k));
  if (unknown.length) fail(at ? `${at}.${unknown[0]}` : unknown[0], `is not an option; allowed: ${keys.join(', ')}`);
}

function integer(option: string, value: unknown, min: number, fail: (option: string, reason: string) => never): void {
  if (value !== undefined && (typeof value !== 'number' || !Number.isInteger(value) || value < min))
    fail(option, `must be an integer >= ${min}`);
}
