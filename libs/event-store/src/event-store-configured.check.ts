import { Inject, Injectable, Optional } from '@nestjs/common';
import { EventStoreDatabase } from './database/event-store-database';
import { EventStoreModuleNotConfiguredError } from './errors/module-not-configured.error';

/**
 * Provided by every import of `EventStoreModule`: fails the start with a
 * message that says what to do when `forRoot` / `forRootAsync` is missing,
 * instead of Nest's "can't resolve dependencies of …" further on.
 */
@Injectable()
export class EventStoreConfiguredCheck {
  constructor(@Optional() @Inject(EventStoreDatabase) database?: EventStoreDatabase) {
    if (!database) throw new EventStoreModuleNotConfiguredError('EventStoreModule');
  }
}
