import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Min, ValidateNested } from 'class-validator';
import { EventValidationError } from '../errors/event-validation.error';
import { collectSchemaViolations, validateEventSchema } from './validate-event-schema';

class Reviewer {
  @IsString() name!: string;
}

class RequirementCreatedV1 {
  @IsString() title!: string;
  @IsInt() @Min(1) priority!: number;
  @IsOptional() @ValidateNested({ each: true }) @Type(() => Reviewer) reviewers?: Reviewer[];
}

describe('validateEventSchema', () => {
  it('accepts a payload that matches the schema', async () => {
    await expect(
      validateEventSchema({ data: { title: 'Login', priority: 2, reviewers: [{ name: 'bob' }] } }, RequirementCreatedV1),
    ).resolves.toBeUndefined();
  });

  it('throws EventValidationError with one violation per bad field, as data.<path>', async () => {
    const error = await validateEventSchema({ data: { title: 42, priority: 0 } }, RequirementCreatedV1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EventValidationError);
    expect((error as EventValidationError).violations).toEqual([
      { field: 'data.title', reason: 'title must be a string' },
      { field: 'data.priority', reason: 'priority must not be less than 1' },
    ]);
  });

  it('rejects fields the schema does not describe', async () => {
    const error = (await validateEventSchema({ data: { title: 't', priority: 1, secret: 'x' } }, RequirementCreatedV1).catch(
      (e: unknown) => e,
    )) as EventValidationError;
    expect(error.violations).toEqual([{ field: 'data.secret', reason: 'property secret should not exist' }]);
  });

  it('names nested fields with array indexes', async () => {
    const violations = await collectSchemaViolations(
      { title: 't', priority: 1, reviewers: [{ name: 'a' }, { name: 3 }] },
      RequirementCreatedV1,
      'events[4].data',
    );
    expect(violations).toEqual([{ field: 'events[4].data.reviewers[1].name', reason: 'name must be a string' }]);
  });

  it('rejects a payload that is not a JSON object', async () => {
    await expect(collectSchemaViolations(['title'], RequirementCreatedV1)).resolves.toEqual([
      { field: 'data', reason: 'must be a JSON object' },
    ]);
    await expect(validateEventSchema({ data: null }, RequirementCreatedV1)).rejects.toBeInstanceOf(EventValidationError);
  });

  it('keeps payload values out of the violations', async () => {
    const error = (await validateEventSchema({ data: { title: 'ok', priority: 'alice@example.com' } }, RequirementCreatedV1).catch(
      (e: unknown) => e,
    )) as EventValidationError;
    expect(JSON.stringify(error.violations)).not.toContain('alice@example.com');
  });
});
