import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from './csv.ts';

describe('csv writer (OWASP CSV injection rules)', () => {
  it.each([
    // formulas in text cells are neutralised with a leading quote (and quoted when they hold , or ")
    [`-2+3+cmd|' /C calc'!A0`, `'-2+3+cmd|' /C calc'!A0`],
    ['=1+1', `'=1+1`],
    ['+1', `'+1`],
    ['@SUM(A1)', `'@SUM(A1)`],
    ['\tTAB', `'\tTAB`],
    ['\rCR', `"'\rCR"`],
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    ['-3', `'-3`],
    // OWASP corpus: formulas behind leading whitespace or line breaks, fullwidth operators, DDE payloads
    [' =1+1', `' =1+1`],
    ['\n=1+1', `"'\n=1+1"`],
    ['  @SUM(A1)', `'  @SUM(A1)`],
    ['\u3000=1+1', `'\u3000=1+1`],
    ['\uFF1D1+1', `'\uFF1D1+1`],
    ['\uFF0Bcmd', `'\uFF0Bcmd`],
    ['\uFF0D2+3', `'\uFF0D2+3`],
    ['\uFF20SUM(A1)', `'\uFF20SUM(A1)`],
    [`=cmd|' /C notepad'!'A1'`, `'=cmd|' /C notepad'!'A1'`],
    [`+thespanishinquisition(cmd|'/c calc.exe'!A`, `'+thespanishinquisition(cmd|'/c calc.exe'!A`],
    [`@SUM(1+1)*cmd|' /C calc'!A0`, `'@SUM(1+1)*cmd|' /C calc'!A0`],
    [`-2+3+cmd|' /C calc'!A0,x`, `"'-2+3+cmd|' /C calc'!A0,x"`],
    // ordinary text: quoted only when it holds a comma, quote, CR or LF
    ['LCG.CERN.cern', 'LCG.CERN.cern'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['a=b', 'a=b'],
    ['', ''],
  ])('text %j is written as %j', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it('writes numbers as numbers (plain negatives keep their sign, no prefix) and null as empty', () => {
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(-0.25)).toBe('-0.25');
    expect(csvCell(42)).toBe('42');
    expect(csvCell(true)).toBe('true');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
  });

  it('writes a header and CRLF-terminated lines', () => {
    expect(
      toCsv(
        ['id', 'name'],
        [
          [1, '=cmd'],
          [-2, null],
        ],
      ),
    ).toBe("id,name\r\n1,'=cmd\r\n-2,\r\n");
  });
});
