/** One column of a printed table: its header and whether values align right (numbers). */
export interface Column {
  header: string;
  right?: boolean;
}

/** Renders rows as a plain-text table with a header rule; cells are padded to the widest value. */
export function renderTable(
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
): string {
  const widths = columns.map((column, index) =>
    Math.max(column.header.length, ...rows.map((row) => (row[index] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    columns
      .map((column, index) => pad(cells[index] ?? '', widths[index] ?? 0, column.right === true))
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [line(columns.map((c) => c.header)), rule, ...rows.map(line)].join('\n');
}

function pad(text: string, width: number, right: boolean): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

/** A titled block: the title, the table, and optional notes, each note on its own line. */
export function renderSection(title: string, table: string, notes: readonly string[] = []): string {
  return [`\n== ${title} ==`, table, ...notes.map((note) => `  ${note}`)].join('\n');
}
