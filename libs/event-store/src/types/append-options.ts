import { ExpectedVersion } from '../errors/concurrency.error';

/** Options of `appendEvent` / `appendEvents`. */
export interface AppendOptions {
  /**
   * What the stream must look like before the append: a version number,
   * `'no_stream'`, `'stream_exists'` or `'any'`. For a batch that spans
   * several streams, give a map from aggregate id to expected version;
   * streams not named in the map accept any version.
   * @default 'any'
   */
  expectedVersion?: ExpectedVersion | Record<string, ExpectedVersion>;
}
