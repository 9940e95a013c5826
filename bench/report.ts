import { fmt } from './stats';

/** How a row's target is judged. */
export interface Target {
  /** Shown in the table, e.g. ">= 0.9x". */
  text: string;
  met(store: number, baseline: number, ratio: number): boolean;
}

/** One line of the summary. `ratio` is store / baseline. */
export interface ResultRow {
  phase: string;
  metric: string;
  unit: string;
  store: number;
  baseline: number;
  target?: Target;
}

/** store / baseline ratio at least `min`. */
export const atLeast = (min: number): Target => ({ text: `>= ${min}x`, met: (_s, _b, r) => r >= min });
/** store / baseline ratio at most `max`. */
export const atMost = (max: number): Target => ({ text: `<= ${max}x`, met: (_s, _b, r) => r <= max });
/** The store's own figure below a bound (the baseline is shown for context). */
export const storeBelow = (max: number, unit: string): Target => ({ text: `< ${max} ${unit}`, met: (s) => s < max });

/** Prints a result as soon as its phase is done, so a long run shows progress. */
export function printRow(row: ResultRow): void {
  const ratio = row.store / row.baseline;
  const verdict = row.target ? (row.target.met(row.store, row.baseline, ratio) ? 'MET' : 'MISSED') : '';
  console.log(
    `  ${row.metric}: store ${fmt(row.store)} ${row.unit} | baseline ${fmt(row.baseline)} ${row.unit} | ${fmt(ratio)}x ${row.target ? `(target ${row.target.text}: ${verdict})` : ''}`,
  );
}

/** The final table (plain text, fixed width, pasteable into a report). */
export function printSummary(rows: ResultRow[]): void {
  const header = ['phase', 'metric', 'store', 'baseline', 'ratio', 'target', 'met'];
  const lines = rows.map((row) => {
    const ratio = row.store / row.baseline;
    return [
      row.phase,
      `${row.metric} (${row.unit})`,
      fmt(row.store),
      fmt(row.baseline),
      row.baseline > 0 ? `${fmt(ratio)}x` : '-',
      row.target?.text ?? '-',
      row.target ? (row.target.met(row.store, row.baseline, ratio) ? 'yes' : 'NO') : '-',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const render = (cells: string[]) => cells.map((c, i) => (i >= 2 && i <= 4 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(' | ');
  console.log(render(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('-+-'));
  for (const line of lines) console.log(render(line));
}
