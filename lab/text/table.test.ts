import { describe, expect, it } from 'vitest';
import { formatTable, renderSection, renderTable } from './table.ts';

describe('renderTable', () => {
  it('pads cells to the widest value, right-aligning numeric columns', () => {
    const text = renderTable(
      [{ header: 'name' }, { header: 'n', right: true }],
      [
        ['a', '1'],
        ['long name', '100'],
      ],
    );
    expect(text.split('\n')).toEqual([
      'name         n',
      '---------  ---',
      'a            1',
      'long name  100',
    ]);
  });

  it('leaves out the rule on request and never ends a line with spaces', () => {
    const text = renderTable([{ header: 'a' }, { header: 'b' }], [['xyz', '']], { rule: false });
    expect(text).toBe('a    b\nxyz');
  });
});

describe('formatTable', () => {
  it('aligns columns under the header row and leaves the last one ragged', () => {
    expect(
      formatTable([
        ['A', 'BB', 'C'],
        ['long', 'x', 'tail text'],
      ]),
    ).toBe('A     BB  C\nlong  x   tail text\n');
  });
});

describe('renderSection', () => {
  it('puts a title above the table and indents the notes', () => {
    expect(renderSection('T', 'x', ['note'])).toBe('\n== T ==\nx\n  note');
  });
});
