import { Pool, PoolClient } from 'pg';
import { NewDomainEvent } from '@nest-event-store/core';

/**
 * The columns a reader needs: the event with its position and checkpoint,
 * without the ones it already knows or rarely reads (tenant_id, stored_at,
 * is_redacted, redacted_at).
 */
export const NEEDED_COLUMNS = `global_position, event_id, aggregate_type, aggregate_id, aggregate_version,
  event_type, event_version, occurred_at, data, metadata, transaction_id`;

const UNNEST_ROWS = `unnest($1::uuid[], $3::text[], $4::text[], $5::int[], $6::text[], $7::int[], $8::timestamptz[], $9::jsonb[], $10::jsonb[])
    AS u(event_id, aggregate_type, aggregate_id, aggregate_version, event_type, event_version, occurred_at, data, metadata)`;
const INSERT_COLUMNS = `(event_id, tenant_id, aggregate_type, aggregate_id, aggregate_version, event_type, event_version, occurred_at, data, metadata)`;

/** Every append, whatever its size: one multi-row INSERT … SELECT FROM unnest (one prepared statement). */
const INSERT_SQL = `INSERT INTO stored_domain_events ${INSERT_COLUMNS}
  SELECT u.event_id, $2, u.aggregate_type, u.aggregate_id, u.aggregate_version, u.event_type, u.event_version, u.occurred_at, u.data, u.metadata
    FROM ${UNNEST_ROWS}
  RETURNING global_position`;

/**
 * The same with an expected-version check: a compare-and-set of the stream's
 * row in bench_streams ($11 the expected version) in the same statement; no
 * row inserted means another writer moved the stream first.
 */
const CAS_INSERT_SQL = `WITH cas AS (
    UPDATE bench_streams SET version = $11 + cardinality($1::uuid[])
     WHERE tenant_id = $2 AND aggregate_id = ($4::text[])[1] AND version = $11
    RETURNING 1)
  INSERT INTO stored_domain_events ${INSERT_COLUMNS}
  SELECT u.event_id, $2, u.aggregate_type, u.aggregate_id, u.aggregate_version, u.event_type, u.event_version, u.occurred_at, u.data, u.metadata
    FROM ${UNNEST_ROWS}
   WHERE EXISTS (SELECT 1 FROM cas)
  RETURNING global_position`;

/** The baseline's answer to a failed compare-and-set. */
export class BaselineConflict extends Error {}

/**
 * What the store is measured against: the strongest plain-SQL writer and
 * reader we know on the same table and indexes. Each append is BEGIN, one
 * multi-row INSERT … SELECT FROM unnest with the caller's event ids and
 * versions, COMMIT; reads are one keyset SELECT of the needed columns. It
 * connects as a superuser: no RLS, no stream table (except the contention
 * phase's compare-and-set), no idempotency check.
 */
export class RawBaseline {
  constructor(
    readonly pool: Pool,
    readonly tenantId: string,
  ) {}

  /** The stream table of the contention phase (bench-owned, not the store's). */
  async createStreamTable(): Promise<void> {
    await this.pool.query(`CREATE TABLE IF NOT EXISTS bench_streams
      (tenant_id text NOT NULL, aggregate_id text NOT NULL, version integer NOT NULL, PRIMARY KEY (tenant_id, aggregate_id))`);
  }

  /** Creates a stream at version 0 for appendExpecting. */
  async createStream(aggregateId: string): Promise<void> {
    await this.pool.query('INSERT INTO bench_streams VALUES ($1, $2, 0)', [this.tenantId, aggregateId]);
  }

  /** BEGIN; one INSERT … unnest; COMMIT — versions from `firstVersion` on. */
  async append(events: NewDomainEvent[], firstVersion: number): Promise<void> {
    await this.inTransaction({ name: 'bench_insert', text: INSERT_SQL, values: this.columns(events, firstVersion) });
  }

  /**
   * The same with an expected version (events of one stream).
   * @throws BaselineConflict when the stream is not at `expectedVersion`
   */
  async appendExpecting(events: NewDomainEvent[], expectedVersion: number): Promise<void> {
    const values = [...this.columns(events, expectedVersion + 1), expectedVersion];
    const inserted = await this.inTransaction({ name: 'bench_cas_insert', text: CAS_INSERT_SQL, values });
    if (inserted === 0) throw new BaselineConflict(`stream ${events[0].aggregateId} is not at version ${expectedVersion}`);
  }

  /** One stream from a version on, one round trip (a keyset SELECT of the needed columns). */
  async readStream(tenantId: string, aggregateId: string, afterVersion = 0): Promise<Record<string, unknown>[]> {
    const result = await this.pool.query({
      name: 'bench_read_stream',
      text: `SELECT ${NEEDED_COLUMNS} FROM stored_domain_events
              WHERE tenant_id = $1 AND aggregate_id = $2 AND aggregate_version > $3 ORDER BY aggregate_version`,
      values: [tenantId, aggregateId, afterVersion],
    });
    return result.rows;
  }

  /** Plain keyset pages over one tenant's rows in (transaction_id, global_position) order. */
  async *keysetPages(tenantId: string, pageSize: number): AsyncGenerator<Record<string, unknown>[]> {
    let after = ['0', '0'];
    for (;;) {
      const { rows } = await this.pool.query({
        name: 'bench_keyset',
        text: `SELECT ${NEEDED_COLUMNS} FROM stored_domain_events
                WHERE tenant_id = $3 AND (transaction_id, global_position) > ($1::xid8, $2::bigint)
                ORDER BY transaction_id, global_position LIMIT $4`,
        values: [after[0], after[1], tenantId, pageSize],
      });
      if (rows.length === 0) return;
      yield rows;
      const last = rows[rows.length - 1];
      after = [String(last.transaction_id), String(last.global_position)];
      if (rows.length < pageSize) return;
    }
  }

  /**
   * Diagnostic: the plain SELECT wrapped the way the store used to read —
   * BEGIN, tenant role and app.tenant_id, SELECT under RLS, COMMIT (4 round trips).
   */
  async readStreamInTenantTx(tenantId: string, aggregateId: string): Promise<unknown[]> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT set_config('role', 'event_store_tenant', true), set_config('app.tenant_id', $1, true)`, [tenantId]);
      const result = await client.query({
        name: 'bench_read_stream_tx',
        text: `SELECT ${NEEDED_COLUMNS} FROM stored_domain_events WHERE tenant_id = $1 AND aggregate_id = $2 ORDER BY aggregate_version`,
        values: [tenantId, aggregateId],
      });
      await client.query('COMMIT');
      return result.rows;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** The INSERT's ten parameters, one array per column (tenant a scalar). */
  private columns(events: NewDomainEvent[], firstVersion: number): unknown[] {
    const n = events.length;
    const ids: string[] = new Array(n);
    const types: string[] = new Array(n);
    const streams: string[] = new Array(n);
    const versions: number[] = new Array(n);
    const eventTypes: string[] = new Array(n);
    const eventVersions: number[] = new Array(n);
    const occurred: string[] = new Array(n);
    const data: string[] = new Array(n);
    const metadata: string[] = new Array(n);
    const occurredAt = new Date().toISOString();
    events.forEach((e, i) => {
      if (!e.eventId) throw new Error('the baseline takes caller-supplied event ids only');
      ids[i] = e.eventId;
      types[i] = e.aggregateType;
      streams[i] = e.aggregateId;
      versions[i] = firstVersion + i;
      eventTypes[i] = e.eventType;
      eventVersions[i] = e.eventVersion ?? 1;
      occurred[i] = occurredAt;
      data[i] = JSON.stringify(e.data);
      metadata[i] = JSON.stringify(e.metadata ?? {});
    });
    return [ids, this.tenantId, types, streams, versions, eventTypes, eventVersions, occurred, data, metadata];
  }

  /** BEGIN; the statement; COMMIT on one connection of the pool. Returns the rows inserted. */
  private async inTransaction(statement: { name: string; text: string; values: unknown[] }): Promise<number> {
    const client: PoolClient = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const { rowCount } = await client.query(statement);
      await client.query(rowCount ? 'COMMIT' : 'ROLLBACK');
      return rowCount ?? 0;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}
