import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';
import { EventValidationError, StatisticsRange } from '@nest-event-store/core';

/** A date range in a query string (`?from=…&to=…`), by occurrence time; both bounds optional. */
export class DateRangeQuery {
  @ApiPropertyOptional({ format: 'date-time', description: 'occurredAt >= from' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'occurredAt < to (after from)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}

/**
 * The range as Dates.
 * @throws EventValidationError naming `to` when it is not after `from`
 */
export function toStatisticsRange(query: DateRangeQuery): StatisticsRange {
  const range: StatisticsRange = {};
  if (query.from !== undefined) range.from = new Date(query.from);
  if (query.to !== undefined) range.to = new Date(query.to);
  if (range.from && range.to && range.to.getTime() <= range.from.getTime()) throw EventValidationError.of('to', 'must be after from');
  return range;
}
