import { IsInt, IsOptional, IsString, MaxLength, Min, MinLength } from 'class-validator';
import { EventSchema } from '@nest-event-store/core';

/** Fields every session event has: the session is the stream. */
abstract class SessionEventBase {
  /** The session (also the stream's aggregate id). */
  @IsString() @MinLength(1) @MaxLength(200) sessionId!: string;
}

/** An agent session began (v1). */
@EventSchema({ eventType: 'SessionStarted', version: 1 })
export class SessionStartedV1 extends SessionEventBase {
  @IsOptional() @IsString() @MaxLength(200) agentId?: string;
}

/** An agent session ended (v1). */
@EventSchema({ eventType: 'SessionEnded', version: 1 })
export class SessionEndedV1 extends SessionEventBase {
  @IsOptional() @IsString() @MaxLength(500) reason?: string;
}

/** The session's context window filled or was compacted (v1). */
@EventSchema({ eventType: 'ContextWindowUpdated', version: 1 })
export class ContextWindowUpdatedV1 extends SessionEventBase {
  @IsInt() @Min(0) tokensUsed!: number;
  @IsOptional() @IsInt() @Min(1) tokenLimit?: number;
}

/** The session's state was saved to resume from (v1). */
@EventSchema({ eventType: 'CheckpointCreated', version: 1 })
export class CheckpointCreatedV1 extends SessionEventBase {
  @IsString() @MinLength(1) @MaxLength(200) checkpointId!: string;
  @IsOptional() @IsString() @MaxLength(200) label?: string;
}

/** The session resumed from a saved checkpoint (v1). */
@EventSchema({ eventType: 'CheckpointLoaded', version: 1 })
export class CheckpointLoadedV1 extends SessionEventBase {
  @IsString() @MinLength(1) @MaxLength(200) checkpointId!: string;
}
