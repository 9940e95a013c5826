import { IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { EventSchema } from '@nest-event-store/core';

/** Priorities of a task. */
export const TASK_PRIORITIES = ['low', 'medium', 'high', 'critical'] as const;

/** Fields every task event has: the task is the stream. */
abstract class TaskEventBase {
  /** The task (also the stream's aggregate id). */
  @IsString() @MinLength(1) @MaxLength(200) taskId!: string;
}

/** A task was created (v1). */
@EventSchema({ eventType: 'TaskCreated', version: 1 })
export class TaskCreatedV1 extends TaskEventBase {
  @IsString() @MinLength(1) @MaxLength(500) title!: string;
  @IsOptional() @IsString() @MaxLength(5000) description?: string;
  @IsOptional() @IsIn(TASK_PRIORITIES) priority?: (typeof TASK_PRIORITIES)[number];
  @IsOptional() @IsString() @MaxLength(200) parentTaskId?: string;
}

/** A task was given to an agent (v1). */
@EventSchema({ eventType: 'TaskAssigned', version: 1 })
export class TaskAssignedV1 extends TaskEventBase {
  @IsString() @MinLength(1) @MaxLength(200) agentId!: string;
}

/** Work on a task began (v1). */
@EventSchema({ eventType: 'TaskStarted', version: 1 })
export class TaskStartedV1 extends TaskEventBase {
  @IsOptional() @IsString() @MaxLength(200) agentId?: string;
  @IsOptional() @IsString() @MaxLength(500) title?: string;
}

/** A task moved forward (v1). */
@EventSchema({ eventType: 'TaskProgressed', version: 1 })
export class TaskProgressedV1 extends TaskEventBase {
  @IsInt() @Min(0) @Max(100) percent!: number;
  @IsOptional() @IsString() @MaxLength(2000) message?: string;
}

/** A task finished successfully (v1). */
@EventSchema({ eventType: 'TaskCompleted', version: 1 })
export class TaskCompletedV1 extends TaskEventBase {
  @IsOptional() @IsString() @MaxLength(200) agentId?: string;
  @IsOptional() @IsString() @MaxLength(5000) summary?: string;
  @IsOptional() @IsObject() result?: Record<string, unknown>;
}

/** A task failed (v1). */
@EventSchema({ eventType: 'TaskFailed', version: 1 })
export class TaskFailedV1 extends TaskEventBase {
  @IsString() @MinLength(1) @MaxLength(2000) error!: string;
  @IsOptional() @IsString() @MaxLength(200) agentId?: string;
  @IsOptional() @IsString() @MaxLength(100) code?: string;
  @IsOptional() @IsBoolean() retryable?: boolean;
}

/** A task was called off (v1). */
@EventSchema({ eventType: 'TaskCancelled', version: 1 })
export class TaskCancelledV1 extends TaskEventBase {
  @IsOptional() @IsString() @MaxLength(500) reason?: string;
  @IsOptional() @IsString() @MaxLength(200) agentId?: string;
}
