import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsInt, IsNotEmpty, IsOptional, IsString, MaxLength, Max, Min } from 'class-validator';
import { INT4_MAX } from '@nest-event-store/core';

/** Body of POST /api/releases. */
export class PlanReleaseDto {
  @ApiProperty({ maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({ description: 'ISO-8601 date' })
  @IsOptional()
  @IsDateString({ strict: true })
  plannedFor?: string;
}

/** Body of POST /api/releases/:id/requirements. */
export class AddRequirementToReleaseDto {
  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  requirementId!: string;

  @ApiPropertyOptional({ minimum: 1, maximum: INT4_MAX })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(INT4_MAX)
  expectedVersion?: number;
}

/** Body of POST /api/releases/:id/shipment. */
export class ShipReleaseDto {
  @ApiPropertyOptional({ minimum: 1, maximum: INT4_MAX })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(INT4_MAX)
  expectedVersion?: number;
}
