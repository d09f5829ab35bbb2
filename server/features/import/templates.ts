import ExcelJS from 'exceljs';
import type { FastifyReply } from 'fastify';
import { XLSX_CONTENT_TYPE } from '../../contracts/import.ts';

/**
 * Marks the example row of an import template. The readers skip a row whose first cell starts
 * with it (sheet-reader.ts), so a template sent back with its example still in imports nothing
 * made up.
 */
export const EXAMPLE_MARK = '（示例）';

export type TemplateColumn = {
  header: string;
  /** Width in characters. */
  width: number;
  /** Stored as text (ID numbers, certificate numbers, codes): Excel must not turn them into numbers. */
  text?: boolean;
  /** A column the import requires (its header in red; the header text stays as the import reads it). */
  required?: boolean;
};

/**
 * An import template as .xlsx: a header row (required columns in red) and either an example row
 * (its first cell marked EXAMPLE_MARK) or rows prefilled with what the system already knows (the
 * drawn numbers of a round). Text columns are formatted as text, so an 18-digit ID number typed in
 * keeps every digit.
 */
export async function templateXlsx(sheetName: string, columns: readonly TemplateColumn[], rows: readonly (readonly (string | number | null)[])[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  // Headers stay exactly as the import reads them; required ones are told apart by colour.
  sheet.columns = columns.map((c) => ({ header: c.header, width: c.width, style: c.text ? { numFmt: '@' } : {} }));
  const head = sheet.getRow(1);
  head.font = { bold: true };
  head.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEFF3F8' } };
  columns.forEach((c, i) => {
    if (c.required) head.getCell(i + 1).font = { bold: true, color: { argb: 'FFB42318' } };
  });
  for (const values of rows) {
    const row = sheet.addRow(values.map((v) => v ?? null));
    if (typeof values[0] === 'string' && values[0].startsWith(EXAMPLE_MARK)) row.font = { italic: true, color: { argb: 'FF5B6675' } };
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Sends a template as a download named in Chinese (with an ASCII fallback). */
export function sendTemplate(reply: FastifyReply, asciiName: string, chineseName: string, body: Buffer): FastifyReply {
  return reply
    .type(XLSX_CONTENT_TYPE)
    .header('content-disposition', `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(chineseName)}`)
    .header('cache-control', 'no-store')
    .send(body);
}
