import { Pool } from 'pg';
import { AGGREGATE_TYPE } from './payload';

/** How seeded rows are laid out. */
export interface SeedOptions {
  /** Aggregate ids are `<prefix>-<n>`; distinct prefixes keep seeds apart. */
  streamPrefix: string;
  /** Events per stream. */
  streamLength: number;
  /**
   * Drop the secondary indexes during the load and rebuild them afterwards
   * (one sorted build instead of millions of insertions). The rebuild also
   * records the table's size in pg_class, as a bulk load followed by
   * CREATE INDEX would; column statistics stay absent until ANALYZE.
   */
  rebuildIndexes: boolean;
}

const CHUNK = 250_000;

/**
 * Adds `count` events to each of `tenants` with INSERT … SELECT generate_series as
 * the superuser (triggers and row-level security stay in place; the
 * append-only trigger allows inserts), and the matching stream rows, so that
 * the log looks as if the store had written it: several event types, user
 * and correlation ids in the metadata, streams of `streamLength` events.
 * No ANALYZE: the caller decides what the planner may know.
 */
export async function seedTenants(pool: Pool, tenants: string[], count: number, options: SeedOptions): Promise<void> {
  if (count <= 0) return;
  const indexes = options.rebuildIndexes ? await dropSecondaryIndexes(pool) : [];
  try {
    for (const tenantId of tenants) await seedOne(pool, tenantId, count, options);
  } finally {
    // The definitions are the catalog's own CREATE INDEX statements.
    for (const index of indexes) await pool.query(index.definition);
  }
}

async function seedOne(pool: Pool, tenantId: string, count: number, options: SeedOptions): Promise<void> {
  for (let first = 0; first < count; first += CHUNK) {
    const last = Math.min(count, first + CHUNK) - 1;
    await pool.query(
      `INSERT INTO stored_domain_events
         (event_id, tenant_id, aggregate_type, aggregate_id, aggregate_version, event_type, event_version, occurred_at, data, metadata)
       SELECT gen_random_uuid(), $1, $2, $3 || '-' || (g / $6), (g % $6) + 1, 'Seeded' || (g % 5), 1,
              now() - (($5::int - g) * interval '1 second'),
              jsonb_build_object('index', g, 'title', 'Requirement approved', 'amount', 42.5),
              jsonb_build_object('userId', 'user-' || (g % 50), 'correlationId', gen_random_uuid(), 'source', 'seed')
         FROM generate_series($4::int, $5::int) AS g`,
      [tenantId, AGGREGATE_TYPE, options.streamPrefix, first, last, options.streamLength],
    );
  }
  await pool.query(
    `INSERT INTO event_store_streams (tenant_id, aggregate_id, aggregate_type, version)
     SELECT $1, $2 || '-' || s, $3, least($5::int, $4::int - s * $5::int)
       FROM generate_series(0, ($4::int - 1) / $5::int) AS s`,
    [tenantId, options.streamPrefix, AGGREGATE_TYPE, count, options.streamLength],
  );
}

async function dropSecondaryIndexes(pool: Pool): Promise<{ name: string; definition: string }[]> {
  // Constraint-backed indexes (primary key, unique) stay; they cannot be dropped alone.
  const { rows } = await pool.query<{ name: string; definition: string }>(
    `SELECT i.indexname AS name, i.indexdef AS definition FROM pg_indexes i
      WHERE i.schemaname = current_schema() AND i.tablename = 'stored_domain_events'
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
  );
  // Names come from the catalog, quoted with format(%I) by the server.
  for (const index of rows) await pool.query(`DO $$ BEGIN EXECUTE format('DROP INDEX %I', '${index.name.replace(/'/g, "''")}'); END $$`);
  return rows;
}
