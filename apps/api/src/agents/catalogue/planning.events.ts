import { ArrayMaxSize, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { EventSchema } from '@nest-event-store/core';

/** Fields every planning event has: the plan is the stream. */
abstract class PlanEventBase {
  /** The plan (also the stream's aggregate id). */
  @IsString() @MinLength(1) @MaxLength(200) planId!: string;
}

/** An epic was broken down into features (v1). */
@EventSchema({ eventType: 'EpicPlanned', version: 1 })
export class EpicPlannedV1 extends PlanEventBase {
  @IsString() @MinLength(1) @MaxLength(500) title!: string;
  @IsOptional() @IsString({ each: true }) @ArrayMaxSize(200) features?: string[];
}

/** A feature was asked for (v1). */
@EventSchema({ eventType: 'FeatureRequested', version: 1 })
export class FeatureRequestedV1 extends PlanEventBase {
  @IsString() @MinLength(1) @MaxLength(200) featureId!: string;
  @IsString() @MinLength(1) @MaxLength(500) title!: string;
}

/** The plan spawned a task (the task's own stream starts with TaskCreated) (v1). */
@EventSchema({ eventType: 'TaskSpawned', version: 1 })
export class TaskSpawnedV1 extends PlanEventBase {
  @IsString() @MinLength(1) @MaxLength(200) taskId!: string;
  @IsOptional() @IsString() @MaxLength(200) featureId?: string;
  @IsOptional() @IsString() @MaxLength(200) agentId?: string;
}
