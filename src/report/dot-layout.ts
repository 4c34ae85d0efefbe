/**
 * Where each node of a witness graph goes: one column per thread in the order the test declares
 * them, its events top to bottom in program order, the initial writes in a row above, and each
 * endpoint's arrivals in a column of their own. Graphviz's `dot` reorders clusters to cut edge
 * crossings (IRIW came out P1, P0, P2, P3), so the graph pins its nodes and lets `neato` route
 * only the edges.
 */

/** One node to place: its event and the lines of its label. */
export interface Cell {
  readonly event: number;
  readonly lines: readonly string[];
  /** The row it would like (its issuing event's row, for an arrival); it never goes above it. */
  readonly row?: number;
}

export interface Column {
  readonly header: string;
  readonly cells: readonly Cell[];
}

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface Layout {
  /** Node centres in points (Graphviz `pos` with `inputscale=72`; y grows upwards). */
  readonly nodes: ReadonlyMap<number, Point>;
  readonly headers: readonly (Point & { readonly text: string })[];
  /** Where the legend's top-left corner may go: below everything. */
  readonly bottom: number;
}

// Courier at 14 points is 8.4 points a character; a box adds a margin either side.
const CHAR = 8.4;
const LINE = 18;
const width = (lines: readonly string[]) => Math.max(...lines.map((l) => l.length), 1) * CHAR + 24;
const height = (lines: readonly string[]) => lines.length * LINE + 14;
// Room between columns and rows for edge labels.
const COLUMN_GAP = 80;
const ROW_GAP = 60;

/** Each cell's row: its own index, pushed down to its wished row and below the cell before. */
function rowsOf(column: Column): number[] {
  const rows: number[] = [];
  column.cells.forEach((c, k) => rows.push(Math.max(c.row ?? k, k === 0 ? 0 : rows[k - 1]! + 1)));
  return rows;
}

export function layout(columns: readonly Column[], init: readonly Cell[]): Layout {
  const rows = columns.map(rowsOf);
  const rowHeight: number[] = [];
  columns.forEach((col, c) => col.cells.forEach((cell, k) => {
    const r = rows[c]![k]!;
    rowHeight[r] = Math.max(rowHeight[r] ?? 0, height(cell.lines));
  }));
  const nodes = new Map<number, Point>();
  const initHeight = Math.max(0, ...init.map((c) => height(c.lines)));
  const headerY = init.length ? -(initHeight / 2 + 50) : 0;
  // Row centres, top to bottom.
  const rowY: number[] = [];
  let cursor = headerY - 30;
  for (let r = 0; r < rowHeight.length; r++) {
    const h = rowHeight[r] ?? LINE;
    rowY.push(cursor - h / 2);
    cursor -= h + ROW_GAP;
  }
  // Column centres, left to right.
  const headers: (Point & { text: string })[] = [];
  let left = 0;
  columns.forEach((col, c) => {
    const w = Math.max(width([col.header]), ...col.cells.map((cell) => width(cell.lines)));
    const x = left + w / 2;
    headers.push({ x, y: headerY, text: col.header });
    col.cells.forEach((cell, k) => nodes.set(cell.event, { x, y: rowY[rows[c]![k]!]! }));
    left += w + COLUMN_GAP;
  });
  // The initial writes: a row centred over the columns.
  const initWidth = init.reduce((s, c) => s + width(c.lines) + 30, -30);
  let x = Math.max(0, (left - COLUMN_GAP - initWidth) / 2);
  for (const cell of init) {
    const w = width(cell.lines);
    nodes.set(cell.event, { x: x + w / 2, y: 0 });
    x += w + 30;
  }
  return { nodes, headers, bottom: cursor };
}
