// Progress on stderr, for long work (export, report, import, scan): one line redrawn in place at
// most every `interval` ms, cleared at the end. Only on a terminal: in a pipe or a log file a
// redrawn line is noise, so there it draws nothing.
import type { Progress } from '../progress.js';

/** A progress line: `update` as the work goes, `end` once it is done (or failed). */
export interface ProgressLine {
  /** Whether anything is drawn (callers skip work done only to report progress, like counting rows). */
  enabled: boolean;
  update: Progress;
  end(): void;
}

const num = (n: number) => n.toLocaleString('en-US');

/** The text of one progress line. */
export function progressText(label: string, done: number, total: number | null): string {
  if (total === null || total <= 0) return `${label}: ${num(done)}`;
  const pct = Math.min(100, Math.floor((done / total) * 100));
  return `${label}: ${num(done)} / ${num(total)} (${pct}%)`;
}

/** A progress line written with `write` (stderr) when `tty`; nothing otherwise. */
export function progressLine(
  label: string,
  write: (text: string) => void,
  options: { tty: boolean; interval?: number; now?: () => number },
): ProgressLine {
  if (!options.tty) return { enabled: false, update: () => {}, end: () => {} };
  const interval = options.interval ?? 100;
  const now = options.now ?? Date.now;
  let last = Number.NEGATIVE_INFINITY;
  let drawn = false;
  return {
    enabled: true,
    update(done, total) {
      const t = now();
      if (t - last < interval && !(total !== null && done >= total)) return;
      last = t;
      drawn = true;
      // \r back to the line's start, \x1b[K erases what a longer previous line left.
      write(`\r${progressText(label, done, total)}\x1b[K`);
    },
    end() {
      if (drawn) write('\r\x1b[K');
      drawn = false;
    },
  };
}
