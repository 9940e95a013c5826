import { isConnectionError } from './driver-errors';
import { CallbackPool } from './direct-query';
import { BoundedClient, READ_TIMEOUT_MESSAGE, sendWithReadBound } from './read-bound';

/** One statement with its parameters; rowMode 'array': each row an array of its columns (pg's rowMode). */
export interface Statement {
  text: string;
  values: unknown[];
  rowMode?: 'array';
}

type Callback = (error: Error | null, result: { rows: unknown[] }) => void;

/** What this file uses of a pg client: the callback form of query, and whether it pipelines. */
interface PipelinedClient extends BoundedClient {
  readonly pipeline?: boolean;
  query(text: string, values: unknown[], callback: Callback): void;
  query(text: string, callback: Callback): void;
  query(config: Statement, callback: Callback): void;
  on(event: 'error', listener: (error: Error) => void): unknown;
  removeListener(event: 'error', listener: (error: Error) => void): unknown;
}

/** What this file uses of a pg Pool: its options (which reach every client) and callback connect. */
export interface PipelinedPool {
  readonly options?: { pipeline?: boolean };
  connect(callback: (error: Error | undefined, client: PipelinedClient | undefined, release: (error?: unknown) => void) => void): void;
}

/**
 * True when the pool's clients pipeline (pg's `pipeline: true` client option,
 * given to the pool through the DataSource's `extra`).
 */
export function poolPipelines(pool: unknown): pool is PipelinedPool & CallbackPool {
  return (pool as PipelinedPool | undefined)?.options?.pipeline === true;
}

/**
 * One statement in a transaction of its own whose context (role, tenant,
 * planner settings) `setup` sets: BEGIN, setup, the statement and COMMIT are
 * written to the connection at once and answered in one round trip (pg's
 * pipeline mode; every query carries its own Sync). If setup or the statement
 * fails, the server skips to that query's Sync and answers the COMMIT of the
 * failed transaction as a ROLLBACK, so nothing of it survives and the
 * connection is clean for the next user. Connection-level errors and client
 * timeouts discard the connection, as queryOnPool does.
 */
export function queryInTransactionPipelined<T>(pool: PipelinedPool, setup: Statement, statement: Statement): Promise<T[]> {
  return new Promise((resolve, reject) => {
    pool.connect((connectError, client, release) => {
      if (connectError || !client) return reject(connectError);
      // A client timeout in pipeline mode closes the socket at once (the
      // queries behind are already on the wire); the client then emits
      // 'error' before the queries' callbacks run. Nobody else listens while
      // the client is checked out, so this does, until it goes back.
      const onSocketError = (): void => undefined;
      client.on('error', onSocketError);
      let pending = 4;
      let failure: Error | null = null;
      let rows: unknown[] = [];
      const settle = (error: Error | null) => {
        // The first failure is the one that explains (later ones are "transaction is aborted").
        if (error && !failure) failure = error;
        if (--pending > 0) return;
        stopTimer();
        const broken = failure !== null && isConnectionError(failure);
        if (broken) client.connection?.stream?.destroy();
        client.removeListener('error', onSocketError);
        release(broken ? failure : undefined);
        if (failure) reject(failure);
        else resolve(rows as T[]);
      };
      // One read bound for the four queries; when it passes, every query fails with the socket, the timeout first.
      const stopTimer = sendWithReadBound(
        client,
        () => {
          client.query('BEGIN', (error) => settle(error));
          client.query(setup.text, setup.values, (error) => settle(error));
          client.query(statement, (error, result) => {
            if (!error) rows = result.rows;
            settle(error);
          });
          client.query('COMMIT', (error) => settle(error));
        },
        () => {
          failure ??= new Error(READ_TIMEOUT_MESSAGE);
        },
      );
    });
  });
}
