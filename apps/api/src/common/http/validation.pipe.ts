import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';

/**
 * The API's ValidationPipe: unknown fields are rejected (not silently
 * dropped), values are transformed to the DTO types, and the 400 lists
 * "field: reason" like the library's EventValidationError does.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => new BadRequestException(flatten(errors)),
  });
}

function flatten(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = !parent ? error.property : /^\d+$/.test(error.property) ? `${parent}[${error.property}]` : `${parent}.${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((reason) => `${path}: ${reason}`);
    return [...own, ...flatten(error.children ?? [], path)];
  });
}
