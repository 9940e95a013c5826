import { ArgumentMetadata, BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import { guardInput } from './input-guard';

/**
 * The API's ValidationPipe: unknown fields are rejected (not silently
 * dropped), values are transformed to the DTO types, and the 400 lists
 * "field: reason" like the library's EventValidationError does. Before any
 * of that, guardInput refuses absurd nesting and lone surrogates in bodies,
 * queries and route parameters.
 */
class ApiValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' || metadata.type === 'query' || metadata.type === 'param') guardInput(value, metadata.data);
    return super.transform(value, metadata);
  }
}

/** Creates the API's validation pipe (see ApiValidationPipe). */
export function createValidationPipe(): ValidationPipe {
  return new ApiValidationPipe({
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
