import { ApiProperty } from '@nestjs/swagger';

/** One agent of AgentState. */
export class AgentView {
  @ApiProperty() id!: string;
  @ApiProperty({ nullable: true, type: String }) name!: string | null;
  @ApiProperty({ nullable: true, type: String }) agentType!: string | null;
  @ApiProperty({ example: 'working', description: 'spawned, registered, idle, working, waiting, blocked, error, unregistered, terminated' })
  status!: string;
  @ApiProperty({ nullable: true, type: String }) currentTaskId!: string | null;
  @ApiProperty({ nullable: true, type: String }) lastAction!: string | null;
  @ApiProperty({ nullable: true, type: String }) lastError!: string | null;
  @ApiProperty() actions!: number;
  @ApiProperty() errors!: number;
  @ApiProperty({ nullable: true, type: String }) lastEventType!: string | null;
  @ApiProperty({ format: 'date-time' }) firstSeenAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

/** GET /agents. */
export class AgentListView {
  @ApiProperty({ type: [AgentView] }) items!: AgentView[];
}

/** One task of TaskHistory. */
export class TaskView {
  @ApiProperty() id!: string;
  @ApiProperty({ nullable: true, type: String }) title!: string | null;
  @ApiProperty({ example: 'running', description: 'created, assigned, running, completed, failed, cancelled' }) status!: string;
  @ApiProperty({ nullable: true, type: String }) priority!: string | null;
  @ApiProperty({ nullable: true, type: String }) agentId!: string | null;
  @ApiProperty({ minimum: 0, maximum: 100 }) progress!: number;
  @ApiProperty({ nullable: true, type: String }) lastError!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) startedAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) finishedAt!: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'From start (or creation) to the end' }) durationMs!: number | null;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

/** One event in a task's timeline (no payload). */
export class TaskTimelineEntry {
  @ApiProperty({ description: 'Decimal string (64-bit)' }) globalPosition!: string;
  @ApiProperty() eventType!: string;
  @ApiProperty({ description: 'Status after the event' }) status!: string;
  @ApiProperty({ nullable: true, type: String }) agentId!: string | null;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
}

/** GET /tasks/:id. */
export class TaskDetailView extends TaskView {
  @ApiProperty({ type: [TaskTimelineEntry] }) timeline!: TaskTimelineEntry[];
}

/** GET /tasks. */
export class TaskListView {
  @ApiProperty({ type: [TaskView] }) items!: TaskView[];
}

/** GET /tasks/stats. */
export class TaskStatisticsView {
  @ApiProperty({ description: 'Tasks created in the range' }) totalTasks!: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, description: 'Tasks created in the range, by status' })
  byStatus!: Record<string, number>;
  @ApiProperty({ description: 'Tasks completed in the range' }) completedTasks!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Average duration of the tasks completed in the range' })
  averageDurationMs!: number | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) from!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) to!: string | null;
}

/** One namespace of MemoryIndex. */
export class NamespaceView {
  @ApiProperty() namespace!: string;
  @ApiProperty() activeEntries!: number;
  @ApiProperty() totalEntries!: number;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

/** GET /memory. */
export class NamespaceListView {
  @ApiProperty({ type: [NamespaceView] }) items!: NamespaceView[];
}

/** One key of a namespace (the value itself is never kept in the index). */
export class MemoryEntryView {
  @ApiProperty() key!: string;
  @ApiProperty({ example: 'active', description: 'active, deleted, expired' }) status!: string;
  @ApiProperty({ nullable: true, type: String }) agentId!: string | null;
  @ApiProperty({ type: [String] }) tags!: string[];
  @ApiProperty() valueBytes!: number;
  @ApiProperty({ nullable: true, type: Number }) ttlSeconds!: number | null;
  @ApiProperty({ format: 'date-time' }) storedAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) expiresAt!: string | null;
  @ApiProperty() writes!: number;
  @ApiProperty() retrievals!: number;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastRetrievedAt!: string | null;
}

/** GET /memory/:namespace. */
export class MemoryEntryListView {
  @ApiProperty() namespace!: string;
  @ApiProperty({ type: [MemoryEntryView] }) items!: MemoryEntryView[];
}

/** One type of the agent event catalogue. */
export class AgentEventTypeView {
  @ApiProperty({ example: 'TaskStarted' }) eventType!: string;
  @ApiProperty({ example: 'task' }) category!: string;
  @ApiProperty() description!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ example: 'Task' }) aggregateType!: string;
  @ApiProperty({ nullable: true, type: String, example: 'taskId' }) idField!: string | null;
}

/** GET /agents/event-types. */
export class AgentEventTypeListView {
  @ApiProperty({ type: [AgentEventTypeView] }) items!: AgentEventTypeView[];
}
