import { openSync } from 'node:fs';

/**
 * Keeps the real stdin for the caller and gives everything else `/dev/null`
 * as `process.stdin`: PGlite's initdb (a new embedded folder) reads
 * `process.stdin.fd` synchronously, which on a pipe blocks until the writer
 * writes and then swallows its data.
 */
export function detachStdin(): NodeJS.ReadStream {
  const realIn = process.stdin;
  const nullIn = { fd: openSync('/dev/null', 'r') } as unknown as NodeJS.ReadStream;
  Object.defineProperty(process, 'stdin', { value: nullIn, configurable: true, enumerable: true, writable: false });
  return realIn;
}
