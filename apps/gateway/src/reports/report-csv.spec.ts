import { csvFileName, prefersCsv, toCsv } from './report-csv';

describe('toCsv', () => {
  const columns = [
    { header: 'name', value: (r: { name: string; n: number | null }) => r.name },
    { header: 'n', value: (r: { name: string; n: number | null }) => r.n },
  ];

  it('writes a header and one CRLF-ended line per row, empty cells for null', () => {
    expect(
      toCsv(columns, [
        { name: 'a', n: 1 },
        { name: 'b', n: null },
      ]),
    ).toBe('name,n\r\na,1\r\nb,\r\n');
  });

  it('quotes separators, quotes and line breaks', () => {
    expect(toCsv(columns, [{ name: 'x, "y"\nz', n: 0 }])).toBe('name,n\r\n"x, ""y""\nz",0\r\n');
  });

  it('neutralises text a spreadsheet would run as a formula, not negative numbers', () => {
    expect(toCsv(columns, [{ name: '=HYPERLINK("x")', n: -1 }])).toBe(`name,n\r\n"'=HYPERLINK(""x"")",-1\r\n`);
    expect(toCsv(columns, [{ name: '@sum', n: 2 }])).toBe(`name,n\r\n'@sum,2\r\n`);
  });
});

describe('prefersCsv', () => {
  it.each([
    ['text/csv', true],
    ['text/csv; charset=utf-8', true],
    ['text/csv, */*', true],
    ['application/json;q=0.5, text/csv', true],
    ['application/json, text/csv;q=0.1', false],
    ['application/json', false],
    ['*/*', false],
    ['text/*', false],
    [undefined, false],
  ])('%s → %s', (accept, expected) => {
    expect(prefersCsv(accept)).toBe(expected);
  });
});

describe('csvFileName', () => {
  it('keeps only safe characters', () => {
    expect(csvFileName('campaign', 'spring "sale"/2026')).toBe('campaign-spring_sale_2026.csv');
  });
});
