import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { EventJson } from '../../common/http/event-json';

/** A stored event (response schema). */
export class StoredEventDto implements EventJson {
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ example: 'acme' }) tenantId!: string;
  @ApiProperty({ example: 'Requirement' }) aggregateType!: string;
  @ApiProperty({ example: 'req-1' }) aggregateId!: string;
  @ApiProperty({ example: 3 }) aggregateVersion!: number;
  @ApiProperty({ example: 'RequirementApproved' }) eventType!: string;
  @ApiProperty({ example: 3, description: 'Version of data after upcasting' }) eventVersion!: number;
  @ApiProperty({ example: '1042', description: '64-bit position in the global order, as a string' }) globalPosition!: string;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ format: 'date-time' }) storedAt!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) data!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true, example: { userId: 'alice', correlationId: '…' } }) metadata!: Record<
    string,
    unknown
  >;
  @ApiProperty() isRedacted!: boolean;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) redactedAt!: string | null;
}

/** Response of an append. */
export class AppendResultDto {
  @ApiProperty({ type: [StoredEventDto] }) events!: StoredEventDto[];
}

/** Response of a stream read. */
export class StreamDto {
  @ApiProperty() aggregateId!: string;
  @ApiProperty() aggregateType!: string;
  @ApiProperty({ description: 'Current version of the stream' }) version!: number;
  @ApiProperty({ type: [StoredEventDto] }) items!: StoredEventDto[];
}

/** One page of GET /events. */
export class EventPageDto {
  @ApiProperty({ type: [StoredEventDto] }) items!: StoredEventDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass back as cursor for the next page' }) nextCursor!: string | null;
  @ApiProperty() hasMore!: boolean;
  @ApiPropertyOptional({ description: 'Present with includeTotal=true' }) total?: number;
}

/** Response of GET /events/stats. */
export class EventStatisticsDto {
  @ApiProperty() totalEvents!: number;
  @ApiProperty() redactedEvents!: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' } }) byEventType!: Record<string, number>;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' } }) byAggregateType!: Record<string, number>;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) firstEventAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastEventAt!: string | null;
}

/** One event type known to the API or stored by the tenant. */
export class EventTypeDto {
  @ApiProperty({ example: 'RequirementApproved' }) eventType!: string;
  @ApiProperty({ description: 'Version reads are upcast to' }) latestVersion!: number;
  @ApiProperty({ description: "Events of this type in the caller's tenant" }) storedEvents!: number;
}

/** Response of GET /event-types. */
export class EventTypeListDto {
  @ApiProperty({ type: [EventTypeDto] }) items!: EventTypeDto[];
}
