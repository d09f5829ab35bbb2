import type ExcelJS from 'exceljs';
import type { SheetProblem } from '../../contracts/spreadsheets.ts';

/**
 * Reading typed values out of worksheet cells, each problem named by its cell (`评分项!D7`).
 * Shared by the workbook imports of this feature; the one-sheet imports of entrants and objective
 * values read text only (server/features/import/sheet-reader.ts).
 */

/** Excel's column letters: 1 → A, 27 → AA. */
export function columnLetter(index: number): string {
  let s = '';
  for (let n = index; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** A sheet name as a cell reference writes it: quoted when it holds anything but letters, digits and _. */
export function sheetRef(sheet: string): string {
  return /^[\p{L}\p{N}_]+$/u.test(sheet) ? sheet : `'${sheet.replace(/'/g, "''")}'`;
}

/** One cell as read: where it is, its value (formulas by their result), and whether it is formatted as a percentage. */
export type CellValue = {
  sheet: string;
  row: number;
  column: number;
  header: string | null;
  value: string | number | boolean | null;
  percent: boolean;
};

export const cellRef = (c: Pick<CellValue, 'sheet' | 'row' | 'column'>) => `${sheetRef(c.sheet)}!${columnLetter(c.column)}${c.row}`;

/** The value a person sees in a cell: formulas by their cached result, rich text as its text, dates as yyyy-mm-dd. */
function plainValue(value: unknown): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') {
    const t = value.trim();
    return t === '' ? null : t;
  }
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean') return value;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    const v = value as { richText?: { text: string }[]; text?: unknown; result?: unknown; error?: unknown };
    if (Array.isArray(v.richText)) return plainValue(v.richText.map((r) => r.text).join(''));
    if (v.text !== undefined) return plainValue(v.text);
    if ('result' in v) return plainValue(v.result);
  }
  return null;
}

export function readCell(ws: ExcelJS.Worksheet, row: number, column: number, header: string | null): CellValue {
  const cell = ws.getRow(row).getCell(column);
  return { sheet: ws.name, row, column, header, value: plainValue(cell.value), percent: typeof cell.numFmt === 'string' && cell.numFmt.includes('%') };
}

/** What a cell holds, as the report quotes it. */
export const shown = (c: CellValue): string => (c.value === null ? '' : String(c.value));

/** Header text for matching: no spaces, no asterisks, no notes in brackets, lower case. */
export function headerKey(text: string): string {
  return text
    .replace(/[（(][^）)]*[）)]/g, '')
    .replace(/[\s\u3000*＊]/g, '')
    .toLowerCase();
}

/** A value for matching a word of a vocabulary: no spaces, lower case, full-width brackets as ASCII. */
export function wordKey(text: string): string {
  return text
    .replace(/[\s\u3000]/g, '')
    .replace(/（/g, '(')
    .replace(/）/g, ')')
    .toLowerCase();
}

/** Full-width digits and signs as ASCII, so `８５．５` reads as 85.5. */
function asciiDigits(text: string): string {
  return text.replace(/[０-９．－＋％]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0));
}

/** Removes binary noise from a product (0.3 × 100 = 30.000000000000004). */
const clean = (n: number) => Number(n.toPrecision(12));

/** Collects the problems of one workbook, each with its cell. */
export class ProblemList {
  readonly items: SheetProblem[] = [];

  add(at: { sheet: string; row?: number | null; column?: number | null; header?: string | null; cell?: string }, code: string, message: string, value = '', params: Record<string, string | number> = {}): void {
    const row = at.row ?? null;
    const column = at.column ? at.column : null;
    const cell =
      at.cell ?? (row !== null && column !== null ? `${sheetRef(at.sheet)}!${columnLetter(column)}${row}` : row !== null ? `${sheetRef(at.sheet)}!${row}:${row}` : sheetRef(at.sheet));
    this.items.push({ sheet: at.sheet, row, column: column === null ? null : columnLetter(column), header: at.header ?? null, cell, value, code, message, params });
  }

  atCell(c: CellValue, code: string, message: string, params: Record<string, string | number> = {}): void {
    this.add({ sheet: c.sheet, row: c.row, column: c.column, header: c.header }, code, message, shown(c), params);
  }

  get count(): number {
    return this.items.length;
  }
}

/** Text of a cell (a number as written), or undefined when blank. */
export function textOf(c: CellValue): string | undefined {
  if (c.value === null) return undefined;
  return typeof c.value === 'number' ? String(c.value) : String(c.value).trim();
}

/**
 * A number: a number cell (×100 when formatted as a percentage and `percent` is asked for), or
 * text of digits (`85.5`, full-width too; `30%` where `percent`). Undefined when blank; null
 * (with a problem) when not a number.
 */
export function numberOf(c: CellValue, problems: ProblemList, opts: { percent?: boolean; integer?: boolean } = {}): number | undefined | null {
  if (c.value === null) return undefined;
  let n: number | null = null;
  if (typeof c.value === 'number') n = opts.percent && c.percent ? clean(c.value * 100) : c.value;
  else if (typeof c.value === 'string') {
    let t = asciiDigits(c.value).replace(/[\s,]/g, '');
    const pct = t.endsWith('%');
    if (pct && opts.percent) t = t.slice(0, -1);
    if (/^[-+]?(\d+(\.\d*)?|\.\d+)$/.test(t)) n = Number(t);
  }
  if (n === null || !Number.isFinite(n)) {
    problems.atCell(c, 'not_a_number', `${c.header ?? 'this cell'} must be a number`);
    return null;
  }
  if (opts.integer && !Number.isInteger(n)) {
    problems.atCell(c, 'not_an_integer', `${c.header ?? 'this cell'} must be a whole number`);
    return null;
  }
  return n;
}

/** One word of a vocabulary: its code, the label the workbook writes, and other words people use. */
export type Word<T extends string> = { code: T; label: string; aliases: readonly string[] };

/** The code of the word in a cell (its label, an alias or the code itself). Undefined when blank; null (with a problem) when unknown. */
export function wordOf<T extends string>(c: CellValue, vocab: readonly Word<T>[], problems: ProblemList): T | undefined | null {
  const text = textOf(c);
  if (text === undefined) return undefined;
  const key = wordKey(text);
  const found = vocab.find((w) => wordKey(w.label) === key || w.code === key || w.aliases.some((a) => wordKey(a) === key));
  if (!found) {
    const allowed = vocab.map((w) => w.label).join('、');
    problems.atCell(c, 'unknown_value', `${c.header ?? 'this cell'} must be one of: ${allowed}`, { allowed });
    return null;
  }
  return found.code;
}

const YES = ['是', 'yes', 'y', 'true', '1', '√', '✓', '用', '使用'];
const NO = ['否', 'no', 'n', 'false', '0', '×', '✗', '不用', '不使用'];

/** 是 / 否 (and TRUE / FALSE, 1 / 0). Undefined when blank; null (with a problem) otherwise. */
export function yesNoOf(c: CellValue, problems: ProblemList): boolean | undefined | null {
  if (c.value === null) return undefined;
  if (typeof c.value === 'boolean') return c.value;
  const key = wordKey(String(c.value));
  if (YES.includes(key)) return true;
  if (NO.includes(key)) return false;
  problems.atCell(c, 'unknown_value', `${c.header ?? 'this cell'} must be 是 or 否`, { allowed: '是、否' });
  return null;
}

/** A column of a table sheet: its field, the header the workbook writes, other headers accepted. */
export type ColumnSpec<F extends string> = {
  field: F;
  header: string;
  aliases: readonly string[];
  required: boolean;
  width: number;
  /** Kept as text in Excel (identifiers). */
  text?: boolean;
  /** What the 说明 sheet says about the column. */
  help: string;
};

/** A table sheet read: the header row, where each field's column is, and the non-blank data rows. */
export type Table<F extends string> = {
  sheet: string;
  headerRow: number;
  columns: Map<F, { index: number; header: string }>;
  rows: { row: number; cell: (field: F) => CellValue }[];
};

/**
 * Reads a table sheet: the first non-blank row is the header, matched to `specs` by name (any
 * order; notes in brackets, spaces and asterisks ignored); every later non-blank row is data.
 * A required column that is missing, or a column given twice, is a problem; unknown columns are
 * left alone (a remarks column, say).
 */
export function readTable<F extends string>(ws: ExcelJS.Worksheet, specs: readonly ColumnSpec<F>[], problems: ProblemList, maxRows: number): Table<F> | null {
  // Only rows that exist in the file are visited (getRow would make the missing ones).
  const present: ExcelJS.Row[] = [];
  let tooMany = 0;
  ws.eachRow({ includeEmpty: false }, (row) => {
    if (present.length <= maxRows + 1) present.push(row);
    else tooMany = tooMany || row.number;
  });
  const head = present.find((row) => row.number <= 20 && rowHasValue(row));
  if (!head) {
    problems.add({ sheet: ws.name }, 'missing_column', `Sheet ${ws.name} has no header row`, '', { column: specs.filter((s) => s.required).map((s) => s.header).join('、') });
    return null;
  }
  const headerRow = head.number;
  const columns = new Map<F, { index: number; header: string }>();
  for (let col = 1; col <= head.cellCount; col++) {
    const text = plainValue(head.getCell(col).value);
    if (text === null) continue;
    const key = headerKey(String(text));
    const spec = specs.find((s) => headerKey(s.header) === key || s.aliases.some((a) => headerKey(a) === key));
    if (!spec) continue;
    if (columns.has(spec.field)) {
      problems.add({ sheet: ws.name, row: headerRow, column: col, header: String(text) }, 'duplicate_column', `Column ${spec.header} is given twice`, String(text), { column: spec.header });
      continue;
    }
    columns.set(spec.field, { index: col, header: String(text) });
  }
  let missing = false;
  for (const spec of specs)
    if (spec.required && !columns.has(spec.field)) {
      missing = true;
      problems.add({ sheet: ws.name, row: headerRow }, 'missing_column', `Sheet ${ws.name} has no column ${spec.header}`, '', { column: spec.header });
    }
  if (missing) return null;
  const rows: Table<F>['rows'] = [];
  for (const row of present) {
    if (row.number <= headerRow) continue;
    // A row whose known columns are all blank (a remark off to the side) is not data.
    if ([...columns.values()].every((c) => plainValue(row.getCell(c.index).value) === null)) continue;
    if (rows.length >= maxRows) {
      problems.add({ sheet: ws.name, row: row.number }, 'too_many_rows', `Sheet ${ws.name} has more than ${maxRows} rows`, '', { max: maxRows });
      return null;
    }
    const r = row.number;
    rows.push({
      row: r,
      cell: (field: F) => {
        const c = columns.get(field);
        return c
          ? readCell(ws, r, c.index, c.header)
          : { sheet: ws.name, row: r, column: 0, header: specs.find((s) => s.field === field)?.header ?? null, value: null, percent: false };
      },
    });
  }
  if (tooMany) {
    problems.add({ sheet: ws.name, row: tooMany }, 'too_many_rows', `Sheet ${ws.name} has more than ${maxRows} rows`, '', { max: maxRows });
    return null;
  }
  return { sheet: ws.name, headerRow, columns, rows };
}

/** Whether any cell of the row holds something. */
function rowHasValue(row: ExcelJS.Row): boolean {
  for (let col = 1; col <= row.cellCount; col++) if (plainValue(row.getCell(col).value) !== null) return true;
  return false;
}
