import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDateString, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, MaxLength, Max, Min } from 'class-validator';
import { INT4_MAX } from '@nest-event-store/core';
import { APPROVER_ROLES, ApproverRole, PRIORITIES, Priority } from '../domain/requirement.events';

/** Body of POST /api/requirements. */
export class CreateRequirementDto {
  @ApiProperty({ maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  title!: string;

  @ApiPropertyOptional({ maxLength: 10000 })
  @IsOptional()
  @IsString()
  @MaxLength(10000)
  description?: string;

  @ApiPropertyOptional({ enum: PRIORITIES })
  @IsOptional()
  @IsIn(PRIORITIES)
  priority?: Priority;
}

/** Body of PATCH /api/requirements/:id: the changes and the version they were made against. */
export class UpdateRequirementDto {
  @ApiProperty({ description: 'The version the client last read; a stale one is 409 ConcurrencyError', minimum: 1, maximum: INT4_MAX })
  @IsInt()
  @Min(1)
  @Max(INT4_MAX)
  expectedVersion!: number;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  title?: string;

  @ApiPropertyOptional({ maxLength: 10000 })
  @IsOptional()
  @IsString()
  @MaxLength(10000)
  description?: string;

  @ApiPropertyOptional({ enum: PRIORITIES })
  @IsOptional()
  @IsIn(PRIORITIES)
  priority?: Priority;
}

/** Body of POST /api/requirements/:id/approval. */
export class ApproveRequirementDto {
  @ApiPropertyOptional({ enum: APPROVER_ROLES, default: 'REVIEWER' })
  @IsOptional()
  @IsIn(APPROVER_ROLES)
  approverRole?: ApproverRole;

  @ApiPropertyOptional({ minimum: 1, maximum: INT4_MAX })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(INT4_MAX)
  expectedVersion?: number;
}

/** Body of POST /api/requirements/:id/rejection. */
export class RejectRequirementDto {
  @ApiProperty({ maxLength: 2000 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason!: string;

  @ApiPropertyOptional({ minimum: 1, maximum: INT4_MAX })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(INT4_MAX)
  expectedVersion?: number;
}

/** Query of GET …/:id/history: exactly one of `version` or `at`. */
export class HistoryQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: INT4_MAX, description: 'The state after this version' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(INT4_MAX)
  version?: number;

  @ApiPropertyOptional({ description: 'ISO-8601: the state from the events that occurred at or before it' })
  @IsOptional()
  @IsDateString({ strict: true })
  at?: string;
}
