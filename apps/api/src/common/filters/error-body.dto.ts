import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ErrorBody } from './error-body';

/** The API's one error shape (OpenAPI schema of every 4xx/5xx answer; see ErrorBody). */
export class ErrorBodyDto implements ErrorBody {
  [extra: string]: unknown;

  @ApiProperty({ example: 404, description: 'The HTTP status, repeated' })
  statusCode!: number;

  @ApiProperty({
    example: 'Not Found',
    description:
      'The reason phrase, or the error class where the contract names it (ConcurrencyError, DuplicateEventError, DomainRuleViolation)',
  })
  error!: string;

  @ApiProperty({
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    example: ['events[0].eventType: must be a non-empty string'],
    description: 'A sentence, or for validation errors a list of "field: reason"',
  })
  message!: string | string[];

  @ApiPropertyOptional({ example: 'EVENT_NOT_FOUND', description: 'Stable code of an event-store or domain error' })
  code?: string;
}

/** 409: the error shape plus what each kind of conflict names. */
export class ConflictErrorBodyDto extends ErrorBodyDto {
  @ApiPropertyOptional({ example: 'req-1', description: 'ConcurrencyError: the stream' })
  aggregateId?: string;

  @ApiPropertyOptional({ example: 3, description: 'ConcurrencyError: the version the caller expected' })
  expectedVersion?: number;

  @ApiPropertyOptional({ example: 4, description: "ConcurrencyError: the stream's version when the append was tried" })
  actualVersion?: number;

  @ApiPropertyOptional({ format: 'uuid', description: 'DuplicateEventError: the event id already stored' })
  eventId?: string;

  @ApiPropertyOptional({ example: 'rejected-cannot-be-approved', description: 'DomainRuleViolation: the broken rule' })
  rule?: string;
}

/** 422 UNKNOWN_EVENT_TYPE: the stored stream holds an event the aggregate cannot process (decision 0011). */
export class UnknownEventTypeErrorBodyDto extends ErrorBodyDto {
  @ApiProperty({ example: 'Requirement' })
  aggregateType!: string;

  @ApiProperty({ example: 'req-1' })
  aggregateId!: string;

  @ApiProperty({ example: 'RequirementArchived' })
  eventType!: string;

  @ApiProperty({ example: 5 })
  aggregateVersion!: number;
}
