import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from '../../src/shared/csv';
import { parseCsv } from '../support/parseCsv';

describe('CSV', () => {
  it('round-trips awkward text exactly', () => {
    const cells = ['plain', 'comma, inside', 'quote " inside', 'line\nbreak', 'crlf\r\nbreak', 'Ünïcødé °C ✈', '', '  spaced  '];
    const text = toCsv(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'], [cells]);
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(parseCsv(text)).toEqual([['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'], cells]);
  });

  it('writes numbers, booleans and empty values plainly', () => {
    expect(parseCsv(toCsv(['n', 'b', 'null', 'undef'], [[42, true, null, undefined]]))).toEqual([['n', 'b', 'null', 'undef'], ['42', 'true', '', '']]);
  });

  it('defuses cells a spreadsheet would run as formulas', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    for (const start of ['+', '-', '@', '\t']) expect(csvCell(`${start}1`).replace(/^"/, '')).toMatch(/^'/);
    expect(csvCell(-5)).toBe('-5');
  });
});
