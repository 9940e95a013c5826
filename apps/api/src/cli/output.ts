/** Writes a value as JSON on stdout (`--json`). */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Writes a line of human text on stdout. */
export function printLine(text: string): void {
  process.stdout.write(`${text}\n`);
}

/** Writes rows as a plain aligned table on stdout; `empty` when there are none. */
export function printTable(rows: Record<string, unknown>[], columns: string[], empty: string): void {
  if (rows.length === 0) return printLine(empty);
  const cells = rows.map((row) => columns.map((c) => text(row[c])));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i].length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  printLine(line(columns.map((c) => c.toUpperCase())));
  for (const r of cells) printLine(line(r));
}

function text(value: unknown): string {
  if (value === null || value === undefined) return '-';
  if (value instanceof Date) return value.toISOString();
  return String(value).replace(/\s+/g, ' ');
}
