import { ArrayMaxSize, IsIn, IsInt, IsObject, IsOptional, IsString, MaxLength, Min, MinLength } from 'class-validator';
import { EventSchema } from '@nest-event-store/core';

/** States an agent reports with AgentStateChanged. */
export const AGENT_STATES = ['idle', 'working', 'waiting', 'blocked', 'error'] as const;
/** One reported agent state. */
export type AgentReportedState = (typeof AGENT_STATES)[number];

/** Fields every agent event has: the agent is the stream. */
abstract class AgentEventBase {
  /** The agent (also the stream's aggregate id). */
  @IsString() @MinLength(1) @MaxLength(200) agentId!: string;
}

/** An orchestrator created an agent process (v1). */
@EventSchema({ eventType: 'AgentSpawned', version: 1 })
export class AgentSpawnedV1 extends AgentEventBase {
  @IsString() @MinLength(1) @MaxLength(200) name!: string;
  @IsOptional() @IsString() @MaxLength(100) agentType?: string;
  @IsOptional() @IsString() @MaxLength(200) parentAgentId?: string;
  @IsOptional() @IsString({ each: true }) @ArrayMaxSize(100) capabilities?: string[];
}

/** An agent joined the orchestrator and can take tasks (v1). */
@EventSchema({ eventType: 'AgentRegistered', version: 1 })
export class AgentRegisteredV1 extends AgentEventBase {
  @IsOptional() @IsString() @MaxLength(200) name?: string;
  @IsOptional() @IsString() @MaxLength(100) agentType?: string;
  @IsOptional() @IsString({ each: true }) @ArrayMaxSize(100) capabilities?: string[];
}

/** An agent reports a new state (v1). */
@EventSchema({ eventType: 'AgentStateChanged', version: 1 })
export class AgentStateChangedV1 extends AgentEventBase {
  @IsIn(AGENT_STATES) state!: AgentReportedState;
  @IsOptional() @IsString() @MaxLength(500) reason?: string;
}

/** An agent did something worth recording (a tool call, a decision) (v1). */
@EventSchema({ eventType: 'AgentActionPerformed', version: 1 })
export class AgentActionPerformedV1 extends AgentEventBase {
  @IsString() @MinLength(1) @MaxLength(200) action!: string;
  @IsOptional() @IsString() @MaxLength(200) taskId?: string;
  @IsOptional() @IsObject() details?: Record<string, unknown>;
}

/** An agent hit an error (it may recover) (v1). */
@EventSchema({ eventType: 'AgentErrorOccurred', version: 1 })
export class AgentErrorOccurredV1 extends AgentEventBase {
  @IsString() @MinLength(1) @MaxLength(2000) error!: string;
  @IsOptional() @IsString() @MaxLength(100) code?: string;
  @IsOptional() @IsString() @MaxLength(200) taskId?: string;
}

/** An agent left the orchestrator (v1). */
@EventSchema({ eventType: 'AgentUnregistered', version: 1 })
export class AgentUnregisteredV1 extends AgentEventBase {
  @IsOptional() @IsString() @MaxLength(500) reason?: string;
}

/** An agent process ended (v1). */
@EventSchema({ eventType: 'AgentTerminated', version: 1 })
export class AgentTerminatedV1 extends AgentEventBase {
  @IsOptional() @IsString() @MaxLength(500) reason?: string;
  @IsOptional() @IsInt() @Min(0) exitCode?: number;
}
