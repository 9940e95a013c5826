/**
 * Polls `check` every 25 ms until it is true: for what the store does
 * asynchronously (delivery to subscribers and projections).
 * @throws Error naming `what` once `timeoutMs` has passed
 */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
