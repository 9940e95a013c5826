import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/** One subscription or projection of this process, with its lag (response schema). */
export class SubscriptionInfoDto {
  @ApiProperty({ example: 'requirement-board' }) name!: string;
  @ApiProperty({ enum: ['subscriber', 'projection'] }) kind!: 'subscriber' | 'projection';
  @ApiProperty({ type: String, nullable: true, description: 'Global position of the last event handled' })
  checkpointPosition!: string | null;
  @ApiProperty({ description: 'Global position of the newest event of the store (all tenants)' }) headPosition!: string;
  @ApiProperty({ description: 'Matching events of the whole store beyond the checkpoint, not yet handled' }) eventsBehind!: number;
  @ApiProperty({ type: String, nullable: true, description: 'Process holding the lease' }) owner!: string | null;
  @ApiProperty({ format: 'date-time', type: String, nullable: true }) leaseUntil!: string | null;
  @ApiProperty({ description: "Dead letters of the caller's tenant" }) deadLetters!: number;
}

/** Response of GET /delivery/subscriptions. */
export class SubscriptionListDto {
  @ApiProperty({ type: [SubscriptionInfoDto] }) items!: SubscriptionInfoDto[];
}

/** An event of the caller's tenant that a subscription gave up on (response schema). */
export class DeadLetterDto {
  @ApiProperty({ example: '17' }) id!: string;
  @ApiProperty() subscriptionName!: string;
  @ApiProperty() globalPosition!: string;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty() eventType!: string;
  @ApiProperty({ description: 'Message of the last failure' }) error!: string;
  @ApiProperty() attempts!: number;
  @ApiProperty({ format: 'date-time' }) parkedAt!: string;
}

/** Response of GET /delivery/dead-letters. */
export class DeadLetterListDto {
  @ApiProperty({ type: [DeadLetterDto] }) items!: DeadLetterDto[];
}

/** Query of GET /delivery/dead-letters. */
export class DeadLetterQuery {
  @ApiPropertyOptional({ description: 'Only this subscription or projection' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  subscription?: string;
}

/** Body of POST /delivery/dead-letters/retry. */
export class RetryDeadLettersDto {
  @ApiProperty({ example: 'requirement-board' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  subscription!: string;

  @ApiPropertyOptional({ type: [String], description: "Dead letter ids; absent: every dead letter of the caller's tenant" })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @Matches(/^[0-9]{1,19}$/, { each: true, message: 'each value in ids must be a decimal id' })
  ids?: string[];
}

/** Response of POST /delivery/dead-letters/retry. */
export class RetryDeadLettersResultDto {
  @ApiProperty({ description: 'Handled now and removed from the dead letters' }) succeeded!: number;
  @ApiProperty({ description: 'Failed again; they stay, one attempt more' }) failed!: number;
}
