/** What this file uses of a pg client: its connection parameters and its socket. */
export interface BoundedClient {
  connectionParameters?: { query_timeout?: number };
  connection?: { stream?: { destroy(): void } };
}

/** pg's own message for a query that was not answered within `query_timeout` (driver-errors matches it). */
export const READ_TIMEOUT_MESSAGE = 'Query read timeout';

/**
 * Sends queries (`send` calls the client's `query` synchronously) with the
 * client's read bound, pg's `query_timeout`, kept by a timer of our own. pg's
 * timer closes over the query, and so over every row parsed into its result,
 * until the query ends: V8's young-generation collections then see those rows
 * as reachable from an old object and promote them. Streaming 200,000 events
 * that way grew the process by ~90 MB and cost about a quarter of the
 * throughput (decision 0029). This timer closes over the client and
 * `onTimeout` only. When it fires, the socket is closed and `onTimeout`
 * runs: the queries still on the connection fail, and it must be discarded.
 * @returns a function that stops the timer (call it when the queries are answered)
 */
export function sendWithReadBound(client: BoundedClient, send: () => void, onTimeout: () => void): () => void {
  const parameters = client.connectionParameters;
  const bound = parameters?.query_timeout;
  if (!parameters || !bound) {
    send();
    return () => undefined;
  }
  // pg reads query_timeout when a query is submitted: off for these, on again for everyone else.
  parameters.query_timeout = undefined;
  try {
    send();
  } finally {
    parameters.query_timeout = bound;
  }
  const timer = setTimeout(() => {
    client.connection?.stream?.destroy();
    onTimeout();
  }, bound);
  return () => clearTimeout(timer);
}
