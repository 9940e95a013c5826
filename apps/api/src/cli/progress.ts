import { Presets, SingleBar } from 'cli-progress';

/** Progress of a long command, on stderr (stdout keeps the result). */
export interface Progress {
  /** `done` of `total` units so far (total may grow). */
  update(done: number, total: number): void;
  /** Ends the display (the bar's last state stays on screen). */
  stop(): void;
}

/**
 * A live bar (done / total, rate, ETA) when stderr is a terminal; otherwise
 * a plain line at most every `intervalMs` (CLI_PROGRESS_INTERVAL_MS, default
 * 2000) and at the end, which logs and CI keep readable.
 */
export function createProgress(label: string, unit: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  const started = Date.now();
  const rate = (done: number) => Math.round(done / Math.max(0.001, (Date.now() - started) / 1000));
  if (stream.isTTY) {
    const bar = new SingleBar(
      {
        stream,
        format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | {rate}/s | ETA {eta_formatted}`,
        hideCursor: true,
        etaBuffer: 20,
        fps: 10,
      },
      Presets.shades_classic,
    );
    let startedBar = false;
    return {
      update(done, total) {
        if (!startedBar) {
          bar.start(Math.max(total, done), done, { rate: rate(done) });
          startedBar = true;
        }
        if (total > bar.getTotal()) bar.setTotal(total);
        bar.update(done, { rate: rate(done) });
      },
      stop() {
        if (startedBar) bar.stop();
      },
    };
  }
  const intervalMs = Number(process.env.CLI_PROGRESS_INTERVAL_MS) || 2000;
  let last: { done: number; total: number } | undefined;
  let printed: typeof last;
  let printedAt = 0;
  const print = ({ done, total }: { done: number; total: number }) => {
    const perSecond = rate(done);
    const eta = perSecond > 0 && total > done ? `, ETA ${Math.ceil((total - done) / perSecond)}s` : '';
    const percent = total > 0 ? Math.floor((done / total) * 100) : 100;
    stream.write(`${label}: ${done}/${total} ${unit} (${percent}%), ${perSecond}/s${eta}\n`);
    printed = last;
    printedAt = Date.now();
  };
  return {
    update(done, total) {
      last = { done, total };
      if (Date.now() - printedAt >= intervalMs) print(last);
    },
    stop() {
      if (last && last !== printed) print(last);
    },
  };
}
