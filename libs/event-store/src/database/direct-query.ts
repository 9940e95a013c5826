import { isConnectionError } from './driver-errors';
import { BoundedClient, READ_TIMEOUT_MESSAGE, sendWithReadBound } from './read-bound';

/** What this file uses of a pg PoolClient: the callback form of query. */
interface CallbackClient extends BoundedClient {
  query(
    config: { text: string; values: unknown[]; rowMode?: 'array' },
    callback: (error: Error | null, result: { rows: unknown[] }) => void,
  ): void;
}

/** What this file uses of a pg Pool: the callback form of connect. */
export interface CallbackPool {
  connect(callback: (error: Error | undefined, client: CallbackClient | undefined, release: (error?: unknown) => void) => void): void;
}

/**
 * One autocommit statement on a connection of the pool, through pg's
 * callback API: no TypeORM QueryRunner, no promise per driver call. The
 * QueryRunner's promise path kept every result alive long enough to leave
 * V8's young generation: a 1000-event read cost twice the CPU of plain pg,
 * a third of it in GC (decision 0021).
 *
 * The connection goes back to the pool after any error the database answered
 * (a conflict, a duplicate); after a connection-level error or a client
 * timeout it is discarded, its socket closed at once (see releaseRunner).
 * The client's read bound is kept by sendWithReadBound. Errors come back
 * untranslated.
 */
export function queryOnPool<T>(pool: CallbackPool, text: string, values: unknown[], rowMode?: 'array'): Promise<T[]> {
  return new Promise((resolve, reject) => {
    pool.connect((connectError, client, release) => {
      if (connectError || !client) return reject(connectError);
      let answered = false;
      const stopTimer = sendWithReadBound(
        client,
        () =>
          client.query({ text, values, rowMode }, (error, result) => {
            if (answered) return;
            answered = true;
            stopTimer();
            if (!error) {
              release();
              return resolve(result.rows as T[]);
            }
            const broken = isConnectionError(error);
            if (broken) client.connection?.stream?.destroy();
            release(broken ? error : undefined);
            reject(error);
          }),
        () => {
          if (answered) return;
          answered = true;
          const timeout = new Error(READ_TIMEOUT_MESSAGE);
          release(timeout);
          reject(timeout);
        },
      );
    });
  });
}
