import { EventStoreError } from './event-store.error';

/**
 * `EventStoreModule` (or its `forFeature`) was imported, but no
 * `EventStoreModule.forRoot` / `forRootAsync` registered the store itself.
 */
export class EventStoreModuleNotConfiguredError extends EventStoreError {
  readonly code = 'MODULE_NOT_CONFIGURED';

  /** @param usedAs how the module was imported, e.g. `EventStoreModule.forFeature()` */
  constructor(readonly usedAs: string) {
    super(
      `${usedAs} was imported, but the store is not configured: import EventStoreModule.forRoot({ databaseUrl }) ` +
        '(or forRootAsync) once, in the root module, and use forFeature() in feature modules.',
    );
  }
}
