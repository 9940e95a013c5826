/** What `recordSnapshot` stores. */
export interface SnapshotInput<TState = unknown> {
  aggregateType: string;
  /** Aggregate version the state reflects. */
  version: number;
  state: TState;
  /** Shape version of `state`; a reader ignores a snapshot of another shape. @default 1 */
  schemaVersion?: number;
}

/** A stored snapshot. */
export interface Snapshot<TState = unknown> {
  tenantId: string;
  aggregateId: string;
  aggregateType: string;
  version: number;
  schemaVersion: number;
  state: TState;
  createdAt: Date;
}
