import { sendWithReadBound } from './read-bound';

// The timing through a real server is in bounded-waits.int-spec.ts; this
// checks that pg's own bound is off only while these queries are submitted.
describe('sendWithReadBound', () => {
  const client = (queryTimeout?: number) => {
    const destroyed: string[] = [];
    return {
      destroyed,
      connectionParameters: { query_timeout: queryTimeout },
      connection: { stream: { destroy: () => destroyed.push('socket') } },
    };
  };

  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it("turns pg's query_timeout off while sending and on again afterwards, even when sending throws", () => {
    const c = client(5000);
    let seen: number | undefined = -1;
    sendWithReadBound(
      c,
      () => (seen = c.connectionParameters.query_timeout),
      () => undefined,
    )();
    expect(seen).toBeUndefined();
    expect(c.connectionParameters.query_timeout).toBe(5000);
    expect(() =>
      sendWithReadBound(
        c,
        () => {
          throw new Error('not queryable');
        },
        () => undefined,
      ),
    ).toThrow('not queryable');
    expect(c.connectionParameters.query_timeout).toBe(5000);
  });

  it('closes the socket and reports at the bound, and not once stopped', () => {
    const c = client(5000);
    const timedOut: string[] = [];
    sendWithReadBound(
      c,
      () => undefined,
      () => timedOut.push(`after ${c.destroyed.join()}`),
    );
    const stop = sendWithReadBound(
      c,
      () => undefined,
      () => timedOut.push('stopped one'),
    );
    stop();
    jest.advanceTimersByTime(4999);
    expect(timedOut).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(timedOut).toEqual(['after socket']);
  });

  it('sends without a timer when the client has no read bound', () => {
    const c = client(undefined);
    let sent = false;
    sendWithReadBound(
      c,
      () => (sent = true),
      () => undefined,
    );
    expect(sent).toBe(true);
    expect(jest.getTimerCount()).toBe(0);
  });
});
