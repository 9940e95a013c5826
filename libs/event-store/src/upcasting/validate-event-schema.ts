import { Type } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { ValidationError, validate } from 'class-validator';
import { EventValidationError, FieldViolation } from '../errors/event-validation.error';
import { isPlainObject } from '../validation/rules';

/** A class-validator class describing one version of an event's payload. */
export type EventSchemaClass = Type<object>;

/**
 * Checks `data` against a class-validator class and returns one violation per
 * offending field, its path prefixed with `path` (e.g. `events[0].data.title`).
 * Unknown fields are violations too (whitelist + forbidNonWhitelisted): a
 * payload the schema does not describe would be stored forever.
 */
export async function collectSchemaViolations(data: unknown, schema: EventSchemaClass, path = 'data'): Promise<FieldViolation[]> {
  if (!isPlainObject(data)) return [{ field: path, reason: 'must be a JSON object' }];
  const instance = plainToInstance(schema, data);
  const errors = await validate(instance, {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    // Keep payload values (possibly personal data) out of the error objects.
    validationError: { target: false, value: false },
  });
  const violations: FieldViolation[] = [];
  flatten(errors, path, violations);
  return violations;
}

/**
 * Validates an event's payload against a class-validator class.
 * @throws EventValidationError naming every bad field as `data.<path>`
 */
export async function validateEventSchema(event: { data: unknown }, schema: EventSchemaClass): Promise<void> {
  const violations = await collectSchemaViolations(event?.data, schema, 'data');
  if (violations.length) throw new EventValidationError(violations);
}

function flatten(errors: ValidationError[], parent: string, out: FieldViolation[]): void {
  for (const error of errors) {
    const path = /^\d+$/.test(error.property) ? `${parent}[${error.property}]` : `${parent}.${error.property}`;
    const reasons = Object.values(error.constraints ?? {});
    if (reasons.length) out.push({ field: path, reason: reasons.join('; ') });
    if (error.children?.length) flatten(error.children, path, out);
  }
}
