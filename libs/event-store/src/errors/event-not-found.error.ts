import { NotFoundError } from './not-found.error';

/** No event with this id in this tenant (unknown, or another tenant's). */
export class EventNotFoundError extends NotFoundError {
  readonly code = 'EVENT_NOT_FOUND';

  constructor(eventId: string) {
    super('event', eventId);
  }
}
