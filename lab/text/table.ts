/** One column of a printed table: its header and whether values align right (numbers). */
export interface Column {
  header: string;
  right?: boolean;
}

/** How a table is laid out. */
export interface TableLayout {
  /** A rule of dashes under the header (default true). */
  rule?: boolean;
}

/**
 * Renders rows under their column headers as plain text: cells padded to the widest value of their
 * column, two spaces between columns, no trailing spaces, no final newline.
 */
export function renderTable(
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
  layout: TableLayout = {},
): string {
  const widths = columns.map((column, index) =>
    Math.max(column.header.length, ...rows.map((row) => (row[index] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    columns
      .map((column, index) => pad(cells[index] ?? '', widths[index] ?? 0, column.right === true))
      .join('  ')
      .trimEnd();
  const head = [line(columns.map((c) => c.header))];
  if (layout.rule !== false) head.push(widths.map((width) => '-'.repeat(width)).join('  '));
  return [...head, ...rows.map(line)].join('\n');
}

function pad(text: string, width: number, right: boolean): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

/** A left-aligned table without a rule whose first row is the header, ending with a newline (the CLI's listings). */
export function formatTable(rows: readonly (readonly string[])[]): string {
  const [header = [], ...body] = rows;
  const width = Math.max(0, ...rows.map((row) => row.length));
  const columns = Array.from({ length: width }, (_, i) => ({ header: header[i] ?? '' }));
  return `${renderTable(columns, body, { rule: false })}\n`;
}

/** A titled block: the title, the table, and optional notes, each note on its own line. */
export function renderSection(title: string, table: string, notes: readonly string[] = []): string {
  return [`\n== ${title} ==`, table, ...notes.map((note) => `  ${note}`)].join('\n');
}
