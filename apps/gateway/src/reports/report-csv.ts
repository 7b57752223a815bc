export type CsvValue = string | number | null | undefined;

export interface CsvColumn<T> {
  header: string;
  value: (row: T) => CsvValue;
}

/** Cells a spreadsheet would run as a formula; user text (externalId) starting so is prefixed with a quote. */
const FORMULA_START = /^[=+\-@\t\r]/;

function cell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180 CSV: a header line, CRLF line ends. */
export function toCsv<T>(columns: readonly CsvColumn<T>[], rows: readonly T[]): string {
  const lines = [columns.map((c) => cell(c.header)).join(',')];
  for (const row of rows) lines.push(columns.map((c) => cell(c.value(row))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** True when the Accept header prefers text/csv to JSON (explicit q-values win; `*\/*` alone means JSON). */
export function prefersCsv(accept: string | undefined): boolean {
  if (!accept) return false;
  let csv = 0;
  let json = 0;
  for (const part of accept.split(',')) {
    const [type, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const weight = q ? Number(q.slice(2)) : 1;
    if (Number.isNaN(weight)) continue;
    if (type === 'text/csv') csv = Math.max(csv, weight);
    if (type === 'application/json') json = Math.max(json, weight);
  }
  return csv > 0 && csv >= json;
}

/** A file name safe in a Content-Disposition header. */
export function csvFileName(...parts: string[]): string {
  return `${parts.map((p) => p.replace(/[^\w.-]+/g, '_').slice(0, 80)).join('-')}.csv`;
}
