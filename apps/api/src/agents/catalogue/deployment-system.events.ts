import { IsIn, IsInt, IsObject, IsOptional, IsString, MaxLength, Min, MinLength } from 'class-validator';
import { EventSchema } from '@nest-event-store/core';

/** Fields every deployment event has: the deployment is the stream. */
abstract class DeploymentEventBase {
  /** The deployment (also the stream's aggregate id). */
  @IsString() @MinLength(1) @MaxLength(200) deploymentId!: string;
}

/** A deployment began (v1). */
@EventSchema({ eventType: 'DeploymentStarted', version: 1 })
export class DeploymentStartedV1 extends DeploymentEventBase {
  @IsOptional() @IsString() @MaxLength(100) environment?: string;
  @IsOptional() @IsString() @MaxLength(100) version?: string;
  @IsOptional() @IsString() @MaxLength(200) agentId?: string;
}

/** A deployment succeeded (v1). */
@EventSchema({ eventType: 'DeploymentCompleted', version: 1 })
export class DeploymentCompletedV1 extends DeploymentEventBase {
  @IsOptional() @IsString() @MaxLength(2000) url?: string;
  @IsOptional() @IsInt() @Min(0) durationMs?: number;
}

/** A deployment failed (v1). */
@EventSchema({ eventType: 'DeploymentFailed', version: 1 })
export class DeploymentFailedV1 extends DeploymentEventBase {
  @IsString() @MinLength(1) @MaxLength(2000) error!: string;
}

/** Levels of a system event. */
export const SYSTEM_EVENT_LEVELS = ['debug', 'info', 'warn', 'error'] as const;

/** Something the orchestrator itself reports (start, shutdown, limits) (v1). */
@EventSchema({ eventType: 'SystemEventRecorded', version: 1 })
export class SystemEventRecordedV1 {
  @IsString() @MinLength(1) @MaxLength(2000) message!: string;
  @IsOptional() @IsIn(SYSTEM_EVENT_LEVELS) level?: (typeof SYSTEM_EVENT_LEVELS)[number];
  @IsOptional() @IsString() @MaxLength(200) source?: string;
  @IsOptional() @IsString() @MaxLength(200) systemId?: string;
  @IsOptional() @IsObject() details?: Record<string, unknown>;
}
