import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDateString, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, MaxLength, Min } from 'class-validator';
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
  @ApiProperty({ description: 'The version the client last read; a stale one is 409 ConcurrencyError', minimum: 1 })
  @IsInt()
  @Min(1)
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

  @ApiPropertyOptional({ minimum: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  expectedVersion?: number;
}

/** Body of POST /api/requirements/:id/rejection. */
export class RejectRequirementDto {
  @ApiProperty({ maxLength: 2000 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason!: string;

  @ApiPropertyOptional({ minimum: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  expectedVersion?: number;
}

/** Query of GET …/:id/history: exactly one of `version` or `at`. */
export class HistoryQuery {
  @ApiPropertyOptional({ minimum: 1, description: 'The state after this version' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  version?: number;

  @ApiPropertyOptional({ description: 'ISO-8601: the state from the events that occurred at or before it' })
  @IsOptional()
  @IsDateString({ strict: true })
  at?: string;
}
