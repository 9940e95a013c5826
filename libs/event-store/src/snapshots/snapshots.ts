import { EventStoreDatabase } from '../database/event-store-database';
import { Queryable } from '../database/queryable';
import { StreamNotFoundError } from '../errors/stream-not-found.error';
import { EventValidationError } from '../errors/event-validation.error';
import { Snapshot, SnapshotInput } from '../types/snapshot';
import { INT4_MAX, Violations, assertId, assertKnownOptions, assertOptionalInt, assertTenantId, checkTypeName } from '../validation/rules';

// pk_event_store_snapshots; re-recording the same version replaces it.
const UPSERT_SQL = `
  INSERT INTO event_store_snapshots (tenant_id, aggregate_id, aggregate_type, version, schema_version, state)
  VALUES ($1, $2, $3, $4, $5, $6::jsonb)
  ON CONFLICT (tenant_id, aggregate_id, version)
    DO UPDATE SET state = EXCLUDED.state, schema_version = EXCLUDED.schema_version, created_at = now()`;

// pk_event_store_snapshots, newest first
const LATEST_SQL = `
  SELECT tenant_id, aggregate_id, aggregate_type, version, schema_version, state, created_at
    FROM event_store_snapshots
   WHERE tenant_id = $1 AND aggregate_id = $2 AND version <= $3
     AND ($4::integer IS NULL OR schema_version = $4)
   ORDER BY version DESC LIMIT 1`;

const STREAM_SQL = `SELECT aggregate_type, version FROM event_store_streams WHERE tenant_id = $1 AND aggregate_id = $2`;

/** @throws EventValidationError when getLatestSnapshot's aggregate id or options are malformed */
export function checkSnapshotQuery(aggregateId: string, options?: { maxVersion?: number; schemaVersion?: number }): void {
  assertKnownOptions('options', options, ['maxVersion', 'schemaVersion']);
  assertOptionalInt('maxVersion', options?.maxVersion, 1, INT4_MAX);
  assertOptionalInt('schemaVersion', options?.schemaVersion, 1, INT4_MAX);
  assertId('aggregateId', aggregateId);
}

/** @throws EventValidationError when the snapshot input is malformed */
export function checkSnapshotInput(input: SnapshotInput): void {
  assertKnownOptions('snapshot', input, ['aggregateType', 'version', 'state', 'schemaVersion']);
  const v = new Violations();
  checkTypeName(v, 'aggregateType', input?.aggregateType);
  if (!Number.isInteger(input?.version) || input.version < 1 || input.version > INT4_MAX)
    v.add('version', `must be an integer from 1 to ${INT4_MAX}`);
  if (
    input?.schemaVersion !== undefined &&
    (!Number.isInteger(input.schemaVersion) || input.schemaVersion < 1 || input.schemaVersion > INT4_MAX)
  ) {
    v.add('schemaVersion', `must be an integer from 1 to ${INT4_MAX}`);
  }
  if (input?.state === undefined) v.add('state', 'is required');
  v.throwIfAny();
}

/**
 * Stores a snapshot. The stream must exist, be of the same aggregate type and
 * have reached `version`: a snapshot of a future version would hide events.
 */
export async function recordSnapshot(q: Queryable, tenantId: string, aggregateId: string, input: SnapshotInput): Promise<void> {
  const [stream] = (await q.query(STREAM_SQL, [tenantId, aggregateId])) as { aggregate_type: string; version: number }[];
  if (!stream) throw new StreamNotFoundError(aggregateId);
  if (stream.aggregate_type !== input.aggregateType)
    throw EventValidationError.of('aggregateType', `stream '${aggregateId}' is of type '${stream.aggregate_type}'`);
  if (input.version > stream.version)
    throw EventValidationError.of('version', `stream '${aggregateId}' is only at version ${stream.version}`);
  await q.query(UPSERT_SQL, [
    tenantId,
    aggregateId,
    input.aggregateType,
    input.version,
    input.schemaVersion ?? 1,
    JSON.stringify(input.state),
  ]);
}

/** The newest snapshot at or below `maxVersion` (of `schemaVersion` when given), or null. */
export async function readLatestSnapshot<T>(
  q: Queryable,
  tenantId: string,
  aggregateId: string,
  maxVersion?: number,
  schemaVersion?: number,
): Promise<Snapshot<T> | null> {
  const [row] = (await q.query(LATEST_SQL, [tenantId, aggregateId, maxVersion ?? INT4_MAX, schemaVersion ?? null])) as {
    tenant_id: string;
    aggregate_id: string;
    aggregate_type: string;
    version: number;
    schema_version: number;
    state: T;
    created_at: Date;
  }[];
  if (!row) return null;
  return {
    tenantId: row.tenant_id,
    aggregateId: row.aggregate_id,
    aggregateType: row.aggregate_type,
    version: row.version,
    schemaVersion: row.schema_version,
    state: row.state,
    createdAt: row.created_at,
  };
}

/** EventStoreService.recordSnapshot: checks its arguments, then recordSnapshot in the tenant's transaction. */
export async function recordTenantSnapshot(
  database: EventStoreDatabase,
  tenantId: string,
  aggregateId: string,
  input: SnapshotInput,
): Promise<void> {
  assertTenantId(tenantId);
  assertId('aggregateId', aggregateId);
  checkSnapshotInput(input);
  await database.runInTenant(tenantId, (q) => recordSnapshot(q, tenantId, aggregateId, input), 'recordSnapshot');
}

/** EventStoreService.getLatestSnapshot: checks its arguments, then readLatestSnapshot in the tenant's transaction. */
export async function readTenantLatestSnapshot<T>(
  database: EventStoreDatabase,
  tenantId: string,
  aggregateId: string,
  options?: { maxVersion?: number; schemaVersion?: number },
): Promise<Snapshot<T> | null> {
  assertTenantId(tenantId);
  checkSnapshotQuery(aggregateId, options);
  return database.runInTenant(
    tenantId,
    (q) => readLatestSnapshot<T>(q, tenantId, aggregateId, options?.maxVersion, options?.schemaVersion),
    'getLatestSnapshot',
  );
}
