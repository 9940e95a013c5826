import { ArrayMaxSize, IsDefined, IsInt, IsOptional, IsString, MaxLength, Min, MinLength } from 'class-validator';
import { EventSchema } from '@nest-event-store/core';

/** Fields every memory event has: the namespace is the stream, the key an entry in it. */
abstract class MemoryEventBase {
  /** The memory namespace (also the stream's aggregate id). */
  @IsString() @MinLength(1) @MaxLength(200) namespace!: string;
  @IsString() @MinLength(1) @MaxLength(500) key!: string;
  @IsOptional() @IsString() @MaxLength(200) agentId?: string;
}

/** A value was remembered under a key (v1). */
@EventSchema({ eventType: 'MemoryStored', version: 1 })
export class MemoryStoredV1 extends MemoryEventBase {
  /** Any JSON value; the MemoryIndex keeps only its size, never the value. */
  @IsDefined() value!: unknown;
  @IsOptional() @IsInt() @Min(1) ttlSeconds?: number;
  @IsOptional() @IsString({ each: true }) @ArrayMaxSize(50) tags?: string[];
}

/** A remembered value was read (v1). */
@EventSchema({ eventType: 'MemoryRetrieved', version: 1 })
export class MemoryRetrievedV1 extends MemoryEventBase {}

/** A remembered value was deleted (v1). */
@EventSchema({ eventType: 'MemoryDeleted', version: 1 })
export class MemoryDeletedV1 extends MemoryEventBase {
  @IsOptional() @IsString() @MaxLength(500) reason?: string;
}

/** A remembered value outlived its time to live (v1). */
@EventSchema({ eventType: 'MemoryExpired', version: 1 })
export class MemoryExpiredV1 extends MemoryEventBase {}
