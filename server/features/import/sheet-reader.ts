import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE } from '../../contracts/import.ts';
import { AppError } from '../../errors.ts';
import { EXAMPLE_MARK } from './templates.ts';
import { assertXlsxUnpackedSize, ParseGate } from './xlsx-guard.ts';

/** Two spreadsheets parse at once, whichever import they come from (see ParseGate); the workbook imports (server/features/spreadsheets) queue here too. */
export const parseGate = new ParseGate(2);

/**
 * One non-blank row of a sheet: its number as the spreadsheet shows it, each cell as text, and
 * which cells Excel stored as numbers (an 18-digit ID number typed into a number cell has lost
 * its last digits: Excel keeps 15).
 */
export type SheetRow = { number: number; cells: string[]; numeric: boolean[] };
export type Sheet = { name: string; rows: SheetRow[] };

/** The media type without parameters (`text/csv; charset=utf-8` → `text/csv`). */
export function baseContentType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

/** The example row of one of our templates (templates.ts EXAMPLE_MARK), or one marked the same way by hand. */
function isExampleRow(cells: readonly string[]): boolean {
  const first = cells.find((c) => c !== '') ?? '';
  return first.startsWith(EXAMPLE_MARK) || first.startsWith('(示例)');
}

/**
 * Reads the first worksheet of an .xlsx file, or a CSV file, into plain text cells. Everything
 * stays text: an ID number must never pass through a JavaScript number (it has 18 digits).
 */
export async function readSheet(contentType: string, body: Buffer, maxRows: number): Promise<Sheet> {
  if (body.length === 0) throw new AppError(400, 'empty_file', 'The file is empty');
  const workbook = new ExcelJS.Workbook();
  let worksheet: ExcelJS.Worksheet | undefined;
  if (contentType === XLSX_CONTENT_TYPE) {
    // An .xlsx file is a zip archive: refuse anything else before handing it to the parser.
    if (body[0] !== 0x50 || body[1] !== 0x4b) throw new AppError(400, 'unreadable_file', 'This is not an .xlsx file (save it as Excel workbook .xlsx or as CSV)');
    assertXlsxUnpackedSize(body);
    try {
      // exceljs types its input as an ArrayBuffer-like `Buffer` of its own; a Node Buffer is what it reads.
      await parseGate.run(() => workbook.xlsx.load(body as unknown as Parameters<typeof workbook.xlsx.load>[0]));
    } catch {
      throw new AppError(400, 'unreadable_file', 'The .xlsx file could not be read');
    }
    worksheet = workbook.worksheets.find((w) => w.actualRowCount > 0) ?? workbook.worksheets[0];
  } else if (contentType === CSV_CONTENT_TYPE) {
    // Identity map: exceljs would otherwise turn digit strings into (rounded) numbers and dates.
    worksheet = await workbook.csv.read(Readable.from([decodeCsv(body)]), { map: (value: string) => value });
  }
  if (!worksheet) throw new AppError(400, 'unreadable_file', 'The file has no worksheet');

  const rows: SheetRow[] = [];
  // Title rows and blank rows are allowed; a hard cap stops a huge sheet from being mapped at all.
  const cap = maxRows + 50;
  worksheet.eachRow({ includeEmpty: false }, (row, number) => {
    if (rows.length > cap) return;
    const values = row.values as unknown[];
    const cells: string[] = [];
    const numeric: boolean[] = [];
    for (let i = 1; i < values.length; i++) {
      cells.push(cellText(values[i]));
      numeric.push(typeof values[i] === 'number');
    }
    // A template's example row (first cell marked 示例) is never data.
    if (cells.some((c) => c !== '') && !isExampleRow(cells)) rows.push({ number, cells, numeric });
  });
  return { name: worksheet.name, rows };
}

/**
 * CSV text: UTF-8 with or without a byte-order mark; otherwise GB18030, which is what Chinese
 * Excel writes when a sheet is saved as "CSV (逗号分隔)".
 */
export function decodeCsv(body: Buffer): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    text = new TextDecoder('gb18030').decode(body);
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** A cell's value as the text a person sees in it. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  // `="340123…"`: how a CSV keeps an identifier's digits in Excel (our exports write it so).
  if (typeof value === 'string') return /^="[^"]*"$/.test(value.trim()) ? value.trim().slice(2, -1) : value.trim();
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    const v = value as { richText?: { text: string }[]; text?: unknown; result?: unknown; error?: unknown };
    if (Array.isArray(v.richText)) return v.richText.map((r) => r.text).join('').trim();
    if (v.text !== undefined) return cellText(v.text);
    if ('result' in v) return cellText(v.result);
  }
  return '';
}
