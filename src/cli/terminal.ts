// What the terminal can take, decided once at the CLI's edge from the streams and the
// environment: the width tables fit (the TTY's columns; else COLUMNS when set; else no limit),
// colour (a TTY only, never with NO_COLOR set or TERM=dumb: https://no-color.org), and whether
// progress may be drawn on stderr (a TTY only).

/** The terminal a command writes to. */
export interface Terminal {
  /** Width in cells that tables fit; null: not a terminal and no COLUMNS (no limit). */
  width: number | null;
  /** Colour on stdout. */
  color: boolean;
  /** stdout is a terminal (text shown there is escaped even where a file would get raw data). */
  stdoutIsTTY: boolean;
  /** stderr is a terminal (progress is drawn there). */
  stderrIsTTY: boolean;
}

/** What the edge knows about its streams. */
export interface StreamFacts {
  stdoutIsTTY?: boolean;
  stderrIsTTY?: boolean;
  /** The TTY's width, when stdout is one. */
  columns?: number;
}

const positive = (v: string | undefined): number | null => (v && /^[1-9][0-9]*$/.test(v.trim()) ? Number(v.trim()) : null);

/** The terminal rules for these streams and environment. */
export function terminalOf(streams: StreamFacts, env: NodeJS.ProcessEnv): Terminal {
  const stdoutIsTTY = streams.stdoutIsTTY === true;
  const columns = streams.columns !== undefined && streams.columns > 0 ? streams.columns : null;
  return {
    width: stdoutIsTTY ? (columns ?? positive(env.COLUMNS) ?? 80) : positive(env.COLUMNS),
    color: stdoutIsTTY && !env.NO_COLOR && env.TERM !== 'dumb',
    stdoutIsTTY,
    stderrIsTTY: streams.stderrIsTTY === true,
  };
}
