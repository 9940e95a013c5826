import { NotFoundError } from './not-found.error';

/** No stream with this aggregate id in this tenant (never written, purged, another tenant's, or of another aggregate type). */
export class StreamNotFoundError extends NotFoundError {
  readonly code = 'STREAM_NOT_FOUND';

  constructor(aggregateId: string) {
    super('stream', aggregateId);
  }
}
