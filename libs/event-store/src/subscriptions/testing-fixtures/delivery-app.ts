import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplicationContext, Provider } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { EventStoreModule } from '../../event-store.module';
import { EventStoreModuleOptions } from '../../event-store.options';
import { DatabaseMode, TestDatabase, createTestDatabase } from '../../testing/test-database';

/**
 * A database that survives closing the app, so a test can restart the app on
 * it: a server database, or an embedded PGlite in a temporary folder.
 */
export async function createDurableTestDatabase(mode: DatabaseMode): Promise<TestDatabase> {
  if (mode === 'server') return createTestDatabase(mode);
  const dataDir = mkdtempSync(join(tmpdir(), 'es-delivery-'));
  return { mode, dataDir, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
}

/** Fast leases and retries, so tests run in seconds. */
export const FAST_DELIVERY = {
  pollIntervalMs: 50,
  leaseDurationMs: 2000,
  leaseRenewIntervalMs: 300,
  retry: { maxAttempts: 3, initialDelayMs: 10, maxDelayMs: 50 },
};

/** Boots the store with extra providers (subscribers, projections) on an existing test database. */
export async function openDeliveryApp(
  database: TestDatabase,
  providers: Provider[],
  options: EventStoreModuleOptions = {},
): Promise<INestApplicationContext> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      EventStoreModule.forRoot({ databaseUrl: database.databaseUrl, dataDir: database.dataDir, delivery: FAST_DELIVERY, ...options }),
    ],
    providers,
  }).compile();
  return moduleRef.init();
}

export { eventually } from '../../testing/eventually';
