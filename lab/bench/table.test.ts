import { describe, expect, it } from 'vitest';
import { renderSection, renderTable } from './table.ts';

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
});

describe('renderSection', () => {
  it('puts a title above the table and indents the notes', () => {
    expect(renderSection('T', 'x', ['note'])).toBe('\n== T ==\nx\n  note');
  });
});
