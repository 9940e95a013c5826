import { EXIT } from './exit-codes';

/**
 * Calls `onFirst` on the first Ctrl-C (SIGINT) or SIGTERM, so that the
 * command can stop cleanly; a second one exits at once (130).
 * @returns a function that stops listening
 */
export function onInterrupt(onFirst: () => void): () => void {
  let interrupted = false;
  const handler = () => {
    if (interrupted) process.exit(EXIT.interrupted);
    interrupted = true;
    onFirst();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
