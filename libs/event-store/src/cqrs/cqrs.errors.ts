import { EventStoreError } from '../errors/event-store.error';

/**
 * An aggregate applied an event whose class is not registered in
 * `EventStoreCqrsModule.forRoot({ events })`: saving it would write an event
 * that no one could turn back into its class. Nothing was written.
 */
export class UnregisteredEventClassError extends EventStoreError {
  readonly code = 'UNREGISTERED_EVENT_CLASS';

  constructor(readonly eventClass: string) {
    super(`Event class '${eventClass}' is not registered: add it to EventStoreCqrsModule.forRoot({ events })`);
  }
}
