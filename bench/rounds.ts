/**
 * Runs the store's and the baseline's measurement `rounds` times each,
 * alternating which goes first, so that drift on a shared, noisy machine
 * hits both sides alike.
 */
export async function alternate<T>(
  rounds: number,
  storeRun: (round: number) => Promise<T>,
  baselineRun: (round: number) => Promise<T>,
): Promise<{ store: T[]; baseline: T[] }> {
  const store: T[] = [];
  const baseline: T[] = [];
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      store.push(await storeRun(round));
      baseline.push(await baselineRun(round));
    } else {
      baseline.push(await baselineRun(round));
      store.push(await storeRun(round));
    }
  }
  return { store, baseline };
}
