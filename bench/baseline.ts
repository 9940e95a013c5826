import { randomUUID } from 'node:crypto';
import { Pool, PoolClient } from 'pg';
import { NewDomainEvent } from '@nest-event-store/core';

const INSERT_COLUMNS = 10;
const READ_COLUMNS = `global_position, event_id, tenant_id, aggregate_type, aggregate_id, aggregate_version,
  event_type, event_version, occurred_at, stored_at, data, metadata, transaction_id, is_redacted, redacted_at`;

/** One prepared multi-row INSERT per batch size (pg prepares a named statement once per connection). */
function insertStatement(rows: number): string {
  const tuples = Array.from({ length: rows }, (_, r) => {
    const p = Array.from({ length: INSERT_COLUMNS }, (_, c) => `$${r * INSERT_COLUMNS + c + 1}`);
    return `(${p[0]}::uuid, ${p[1]}, ${p[2]}, ${p[3]}, ${p[4]}::int, ${p[5]}, ${p[6]}::int, ${p[7]}::timestamptz, ${p[8]}::jsonb, ${p[9]}::jsonb)`;
  });
  return `INSERT INTO stored_domain_events
    (event_id, tenant_id, aggregate_type, aggregate_id, aggregate_version, event_type, event_version, occurred_at, data, metadata)
    VALUES ${tuples.join(', ')} RETURNING global_position`;
}

const statements = new Map<number, string>();

/**
 * What the store is measured against: plain pg, the same table and indexes,
 * versions given by the caller (no stream table, no concurrency check, no
 * idempotency check, no RLS since it connects as a superuser).
 */
export class RawBaseline {
  constructor(
    readonly pool: Pool,
    readonly tenantId: string,
  ) {}

  /** BEGIN; one prepared multi-row INSERT; COMMIT — on a connection of the pool. */
  async append(events: NewDomainEvent[], firstVersion: number): Promise<void> {
    const client = await this.pool.connect();
    try {
      await this.appendOn(client, events, firstVersion);
    } finally {
      client.release();
    }
  }

  /** The same on a given connection. */
  async appendOn(client: PoolClient, events: NewDomainEvent[], firstVersion: number): Promise<void> {
    const rows = events.length;
    let text = statements.get(rows);
    if (!text) statements.set(rows, (text = insertStatement(rows)));
    const occurredAt = new Date().toISOString();
    const values: unknown[] = new Array(rows * INSERT_COLUMNS);
    events.forEach((e, i) => {
      const o = i * INSERT_COLUMNS;
      values[o] = randomUUID();
      values[o + 1] = this.tenantId;
      values[o + 2] = e.aggregateType;
      values[o + 3] = e.aggregateId;
      values[o + 4] = firstVersion + i;
      values[o + 5] = e.eventType;
      values[o + 6] = e.eventVersion ?? 1;
      values[o + 7] = occurredAt;
      values[o + 8] = JSON.stringify(e.data);
      values[o + 9] = JSON.stringify(e.metadata ?? {});
    });
    await client.query('BEGIN');
    try {
      await client.query({ name: `bench_insert_${rows}`, text, values });
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  /** A plain SELECT of one stream, one round trip. */
  async readStream(tenantId: string, aggregateId: string): Promise<unknown[]> {
    const result = await this.pool.query({
      name: 'bench_read_stream',
      text: `SELECT ${READ_COLUMNS} FROM stored_domain_events WHERE tenant_id = $1 AND aggregate_id = $2 ORDER BY aggregate_version`,
      values: [tenantId, aggregateId],
    });
    return result.rows;
  }

  /** Plain keyset pages over one tenant's rows in (transaction_id, global_position) order. */
  async *keysetPages(tenantId: string, pageSize: number): AsyncGenerator<Record<string, unknown>[]> {
    let after = ['0', '0'];
    for (;;) {
      const { rows } = await this.pool.query({
        name: 'bench_keyset',
        text: `SELECT ${READ_COLUMNS} FROM stored_domain_events
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
   * Diagnostic: the plain SELECT wrapped the way the store reads — BEGIN,
   * tenant role and app.tenant_id, SELECT under RLS, COMMIT (4 round trips).
   */
  async readStreamInTenantTx(tenantId: string, aggregateId: string): Promise<unknown[]> {
    return this.inTenantTx(tenantId, async (client) => {
      const result = await client.query({
        name: 'bench_read_stream',
        text: `SELECT ${READ_COLUMNS} FROM stored_domain_events WHERE tenant_id = $1 AND aggregate_id = $2 ORDER BY aggregate_version`,
        values: [tenantId, aggregateId],
      });
      return result.rows;
    });
  }

  /** Diagnostic: the keyset loop with every page in its own tenant transaction, like streamEvents. */
  async *keysetPagesInTenantTx(tenantId: string, pageSize: number): AsyncGenerator<Record<string, unknown>[]> {
    let after = ['0', '0'];
    for (;;) {
      const rows = await this.inTenantTx(tenantId, async (client) => {
        const result = await client.query({
          name: 'bench_keyset_tx',
          text: `SELECT ${READ_COLUMNS} FROM stored_domain_events
                  WHERE tenant_id = $3 AND (transaction_id, global_position) > ($1::xid8, $2::bigint)
                  ORDER BY transaction_id, global_position LIMIT $4`,
          values: [after[0], after[1], tenantId, pageSize],
        });
        return result.rows;
      });
      if (rows.length === 0) return;
      yield rows;
      const last = rows[rows.length - 1];
      after = [String(last.transaction_id), String(last.global_position)];
      if (rows.length < pageSize) return;
    }
  }

  private async inTenantTx<T>(tenantId: string, work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT set_config('role', 'event_store_tenant', true), set_config('app.tenant_id', $1, true)`, [tenantId]);
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /**
   * Diagnostic: the store's own SQL function called from plain pg (one round
   * trip, autocommit, same JSON shape), to split the store's cost into the
   * function's and the Node layers' (validation, TypeORM, mapping).
   */
  async appendViaFunction(tenantId: string, events: NewDomainEvent[], expectedVersion: number): Promise<void> {
    const occurredAt = new Date().toISOString();
    const json = events.map((e, i) =>
      JSON.stringify({
        i,
        k: i + 1,
        event_id: randomUUID(),
        aggregate_type: e.aggregateType,
        aggregate_id: e.aggregateId,
        event_type: e.eventType,
        event_version: e.eventVersion ?? 1,
        occurred_at: occurredAt,
        data: e.data,
        metadata: e.metadata ?? {},
      }),
    );
    await this.pool.query({
      name: 'bench_append_fn',
      text: 'SELECT * FROM event_store_append($1, $2::jsonb, $3::jsonb, false)',
      values: [tenantId, `[${json.join(',')}]`, JSON.stringify({ '*': expectedVersion })],
    });
  }
}
