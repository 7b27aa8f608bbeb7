// Tables for the terminal: cells escaped and folded to one line, columns as wide as their content
// up to a cap, and, given the terminal's width, the widest shrinkable columns narrowed (with an
// ellipsis) until the table fits. Widths count terminal cells: wide CJK and emoji take two,
// combining marks none. Colour is applied after layout, so escape codes never count as width.
import { styleText } from 'node:util';
import { inline } from './escape.js';

// East Asian Wide and Fullwidth ranges, and the emoji blocks terminals draw two cells wide.
const WIDE =
  /[\u1100-\u115f\u231a\u231b\u2329\u232a\u23e9-\u23ec\u23f0\u23f3\u25fd\u25fe\u2614\u2615\u2648-\u2653\u267f\u2693\u26a1\u26aa\u26ab\u26bd\u26be\u26c4\u26c5\u26ce\u26d4\u26ea\u26f2\u26f3\u26f5\u26fa\u26fd\u2705\u270a\u270b\u2728\u274c\u274e\u2753-\u2755\u2757\u2795-\u2797\u27b0\u27bf\u2b1b\u2b1c\u2b50\u2b55\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\ua960-\ua97f\uac00-\ud7a3\uf900-\ufaff\ufe10-\ufe19\ufe30-\ufe6f\uff00-\uff60\uffe0-\uffe6]|[\u{1f004}\u{1f0cf}\u{1f18e}\u{1f191}-\u{1f19a}\u{1f200}-\u{1f251}\u{1f300}-\u{1f64f}\u{1f680}-\u{1f6ff}\u{1f7e0}-\u{1f7eb}\u{1f90c}-\u{1f9ff}\u{1fa70}-\u{1faff}\u{20000}-\u{3fffd}]/u;
// Combining marks, zero-width spaces and joiners, variation selectors: no cell of their own.
// biome-ignore lint/suspicious/noMisleadingCharacterClass: it tests one code point at a time, joiners and selectors included on purpose.
const ZERO = /[\p{Mn}\p{Me}\u200b-\u200d\u2060\ufe00-\ufe0f]/u;

/** How many terminal cells one code point takes. */
function cells(ch: string): number {
  if (ZERO.test(ch)) return 0;
  return WIDE.test(ch) ? 2 : 1;
}

/** How many terminal cells `text` takes (already escaped: no control characters). */
export function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += cells(ch);
  return w;
}

/** `text` cut to at most `width` cells, ending in … when cut. */
export function clip(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width <= 0) return '';
  let out = '';
  let w = 0;
  for (const ch of text) {
    const c = cells(ch);
    if (w + c > width - 1) break;
    out += ch;
    w += c;
  }
  return `${out}…`;
}

/** A column of a table. */
export interface Column {
  header: string;
  /** The widest the column gets, however long its content (default: no cap). */
  max?: number;
  /** The narrowest it gets when the table shrinks to fit (default 8, or its content if narrower). */
  min?: number;
  /** Numbers align right. */
  align?: 'left' | 'right';
  /** Whether it may shrink to fit the terminal (default true). */
  shrink?: boolean;
  /** Hidden when the table cannot fit otherwise, lowest rank first (default: never hidden). */
  drop?: number;
  /** The colour of a cell (a node:util styleText format), on a colour terminal only. */
  style?: (cell: string, row: number) => StyleFormat | null;
}

/** A format styleText takes. */
export type StyleFormat = Parameters<typeof styleText>[0];

/** How to lay out a table. */
export interface TableOptions {
  /** The terminal's width in cells; null: no limit (only each column's cap applies). */
  width: number | null;
  color: boolean;
}

const GAP = '  ';

/**
 * Column widths for `rows` (cells already made one-line): natural widths, capped. To fit `width`:
 * the columns with a `drop` rank are hidden (width 0), lowest rank first, while the others could
 * not fit even at their minimums; the widest shrinkable columns narrow down to their minimums; and
 * last, every column narrows as far as one cell, so that no line is wider than the terminal.
 */
export function layout(columns: readonly Column[], rows: readonly string[][], width: number | null): number[] {
  const widths = columns.map((c, i) => {
    let w = displayWidth(c.header);
    for (const r of rows) w = Math.max(w, displayWidth(r[i] ?? ''));
    return Math.min(w, c.max ?? Number.POSITIVE_INFINITY);
  });
  if (width === null) return widths;
  const total = () => {
    const shown = widths.filter((w) => w > 0);
    return shown.reduce((a, b) => a + b, 0) + GAP.length * Math.max(0, shown.length - 1);
  };
  // Narrows the widest column above its floor, one cell at a time; ties go to the rightmost (the free text).
  const shrink = (floor: readonly number[]) => {
    let excess = total() - width;
    while (excess > 0) {
      let pick = -1;
      for (let i = 0; i < widths.length; i++) if (widths[i] > floor[i] && (pick < 0 || widths[i] >= widths[pick])) pick = i;
      if (pick < 0) return;
      widths[pick] -= 1;
      excess -= 1;
    }
  };
  const floor = columns.map((c, i) => (c.shrink === false ? widths[i] : Math.min(widths[i], c.min ?? 8)));
  const droppable = columns
    .map((c, i) => ({ rank: c.drop, i }))
    .filter((d): d is { rank: number; i: number } => d.rank !== undefined)
    .sort((a, b) => a.rank - b.rank);
  const atFloor = () => {
    const shown = floor.filter((_w, i) => widths[i] > 0);
    return shown.reduce((a, b) => a + b, 0) + GAP.length * Math.max(0, shown.length - 1);
  };
  for (const d of droppable) {
    if (atFloor() <= width) break;
    widths[d.i] = 0;
  }
  shrink(floor.map((f, i) => (widths[i] === 0 ? 0 : f)));
  shrink(widths.map((w) => Math.min(w, 1)));
  return widths;
}

/** One line of cells laid out at `widths`: padded, clipped, coloured; the last cell unpadded, no trailing spaces. */
export function renderRow(
  columns: readonly Column[],
  widths: readonly number[],
  cellsOfRow: readonly string[],
  index: number,
  color: boolean,
): string {
  const out: string[] = [];
  let last = widths.length - 1;
  while (last > 0 && widths[last] === 0) last -= 1;
  columns.forEach((c, i) => {
    if (widths[i] === 0) return;
    const text = clip(cellsOfRow[i] ?? '', widths[i]);
    const pad = ' '.repeat(Math.max(0, widths[i] - displayWidth(text)));
    const style = color && text ? (index < 0 ? 'bold' : (c.style?.(text, index) ?? null)) : null;
    const shown = style ? styleText(style, text) : text;
    out.push(c.align === 'right' ? pad + shown : i === last ? shown : shown + pad);
  });
  return out.join(GAP).trimEnd();
}

/**
 * A table as lines: a header, then one line per row. Cells are escaped and folded to one line
 * (see escape.ts); null renders empty.
 */
export function renderTable(columns: readonly Column[], rows: ReadonlyArray<ReadonlyArray<string | null>>, options: TableOptions): string {
  const body = rows.map((r) => r.map((c) => inline(c)));
  const widths = layout(columns, body, options.width);
  const lines = [
    renderRow(
      columns,
      widths,
      columns.map((c) => c.header),
      -1,
      options.color,
    ),
  ];
  body.forEach((r, i) => {
    lines.push(renderRow(columns, widths, r, i, options.color));
  });
  return lines.join('\n');
}
