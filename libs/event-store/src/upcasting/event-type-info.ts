/** One step of a migration chain. */
export interface MigrationStepInfo {
  from: number;
  to: number;
}

/** What the store knows about one event type (see EventMigrationHandler.listEventTypes). */
export interface EventTypeInfo {
  eventType: string;
  /** The version reads upcast to: the top of the migration chain (1 without migrations). */
  latestVersion: number;
  /** The registered steps in order, e.g. `[{ from: 1, to: 2 }, { from: 2, to: 3 }]`. */
  migrations: MigrationStepInfo[];
  /** Whether appends at `latestVersion` are validated against a payload schema. */
  hasSchema: boolean;
  /** Every version with a registered payload schema, ascending. */
  schemaVersions: number[];
}
