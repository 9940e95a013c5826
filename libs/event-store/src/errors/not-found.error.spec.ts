import { EventNotFoundError } from './event-not-found.error';
import { EventStoreError } from './event-store.error';
import { NotFoundError } from './not-found.error';
import { StreamNotFoundError } from './stream-not-found.error';

describe('not-found errors', () => {
  it('gives a missing event and a missing stream each its own code and message', () => {
    const event = new EventNotFoundError('e-1');
    const stream = new StreamNotFoundError('req-1');
    expect(event).toMatchObject({ name: 'EventNotFoundError', code: 'EVENT_NOT_FOUND', kind: 'event', id: 'e-1' });
    expect(event.message).toBe("No event 'e-1' in this tenant");
    expect(stream).toMatchObject({ name: 'StreamNotFoundError', code: 'STREAM_NOT_FOUND', kind: 'stream', id: 'req-1' });
    expect(stream.message).toBe("No stream 'req-1' in this tenant");
  });

  it('shares one base, NotFoundError, for catching any of them, and keeps the two apart', () => {
    for (const error of [new EventNotFoundError('e-1'), new StreamNotFoundError('req-1')]) {
      expect(error).toBeInstanceOf(NotFoundError);
      expect(error).toBeInstanceOf(EventStoreError);
    }
    expect(new StreamNotFoundError('req-1')).not.toBeInstanceOf(EventNotFoundError);
    expect(new EventNotFoundError('e-1')).not.toBeInstanceOf(StreamNotFoundError);
  });
});
