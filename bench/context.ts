import { EventStoreService } from '@nest-event-store/core';
import { RawBaseline } from './baseline';
import { BenchConfig } from './config';

/** What every phase gets. */
export interface BenchContext {
  config: BenchConfig;
  store: EventStoreService;
  baseline: RawBaseline;
  /** Tenant the store writes to (the baseline writes under `baseline.tenantId`). */
  storeTenant: string;
}
