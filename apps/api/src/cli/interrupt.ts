import { EXIT } from './exit-codes';

// Under `npm run`, one Ctrl-C may arrive twice: from the terminal and forwarded by npm.
const SAME_INTERRUPT_MS = 1000;

/**
 * Calls `onFirst` on the first Ctrl-C (SIGINT) or SIGTERM, so that the
 * command can stop cleanly; another one, a second or more later, exits at
 * once (130).
 * @returns a function that stops listening
 */
export function onInterrupt(onFirst: () => void): () => void {
  let interruptedAt: number | undefined;
  const handler = () => {
    if (interruptedAt !== undefined) {
      if (Date.now() - interruptedAt >= SAME_INTERRUPT_MS) process.exit(EXIT.interrupted);
      return;
    }
    interruptedAt = Date.now();
    onFirst();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
