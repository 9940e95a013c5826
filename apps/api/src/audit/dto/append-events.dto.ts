import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsISO8601,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Min,
  ValidateNested,
} from 'class-validator';
import type { ExpectedVersion } from '@nest-event-store/core';
import { EXPECTED_VERSION_WORDS, IsExpectedVersion } from './is-expected-version.decorator';

/** One event to append (the stream comes from the path and `aggregateType`). */
export class NewEventDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Client-chosen id; resending the same id with the same content is idempotent' })
  @IsOptional()
  @IsUUID('all')
  eventId?: string;

  @ApiProperty({ example: 'RequirementCreated' })
  @IsString()
  @IsNotEmpty()
  eventType!: string;

  @ApiPropertyOptional({ minimum: 1, default: 1, description: 'Schema version of data' })
  @IsOptional()
  @IsInt()
  @Min(1)
  eventVersion?: number;

  @ApiPropertyOptional({ format: 'date-time', description: 'Business time; default now' })
  @IsOptional()
  @IsISO8601({ strict: true })
  occurredAt?: string;

  @ApiProperty({ type: 'object', additionalProperties: true, example: { title: 'Encrypt backups' } })
  @IsObject()
  data!: Record<string, unknown>;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description:
      'userId defaults to the token subject, correlationId to the request correlation id; subjectId(s) link the event to data subjects for erasure',
  })
  @IsOptional()
  @IsObject()
  metadata?: Record<string, unknown>;
}

/** Body of POST /aggregates/:aggregateId/events. */
export class AppendEventsDto {
  @ApiProperty({ example: 'Requirement' })
  @IsString()
  @IsNotEmpty()
  aggregateType!: string;

  @ApiPropertyOptional({
    oneOf: [
      { type: 'integer', minimum: 0 },
      { type: 'string', enum: [...EXPECTED_VERSION_WORDS] },
    ],
    default: 'any',
    description: 'What the stream must look like before the append',
  })
  @IsOptional()
  @IsExpectedVersion()
  expectedVersion?: ExpectedVersion;

  @ApiProperty({ type: [NewEventDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10_000)
  @ValidateNested({ each: true })
  @Type(() => NewEventDto)
  events!: NewEventDto[];
}
