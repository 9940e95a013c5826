import { ValidationOptions, registerDecorator } from 'class-validator';
import { INT4_MAX } from '@nest-event-store/core';

/** The words an expected version may be instead of a number. */
export const EXPECTED_VERSION_WORDS = ['any', 'no_stream', 'stream_exists'] as const;

/** Validates an expected version: an integer from 0 to INT4_MAX (stream versions are int4) or one of EXPECTED_VERSION_WORDS. */
export function IsExpectedVersion(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isExpectedVersion',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: `$property must be an integer from 0 to ${INT4_MAX} or one of ${EXPECTED_VERSION_WORDS.join(', ')}`, ...options },
      validator: {
        validate: (value: unknown) =>
          (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= INT4_MAX) ||
          (EXPECTED_VERSION_WORDS as readonly unknown[]).includes(value),
      },
    });
}
