import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { INT4_MAX } from '@nest-event-store/core';

/** Query of GET /aggregates/:aggregateId/events: an inclusive version range. */
export class StreamRangeQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: INT4_MAX })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(INT4_MAX)
  fromVersion?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: INT4_MAX })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(INT4_MAX)
  toVersion?: number;
}
