import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Db } from '../../../db/client.ts';
import type { ExportColumnKey, ExportLayout } from '../../contracts/certificates.ts';
import { maskResidentId } from '../../domain/resident-id.ts';
import { skillLevelLabel } from '../../domain/skill-levels.ts';

/** One certified-level record as the export reads it. */
export type ExportRow = {
  id: number;
  name: string;
  gender: 'male' | 'female';
  id_number: string;
  occupation_code: string;
  occupation_name: string;
  trade: string;
  level: number;
  theory_score: number | null;
  practical_score: number | null;
  certificate_number: string | null;
  issue_date: string | null;
  evaluation_body: string | null;
  basis: string;
};

export type CertificateFilter = {
  scopePath: string;
  from?: string;
  to?: string;
  occupationCode?: string;
  level?: number;
  status?: 'pending' | 'issued';
};

/** Rows read per query: the export never holds more than this many rows at once. */
const CHUNK = 2000;

const BASIS_LABELS: Record<string, string> = {
  exam: '考核评价',
  competition_promotion: '以赛代评',
  transfer: '转换认定',
  other: '其他',
};

function where(filter: CertificateFilter): { sql: string; args: (string | number)[] } {
  const parts = ['o.path like ?'];
  const args: (string | number)[] = [`${filter.scopePath}%`];
  if (filter.from) (parts.push('c.issue_date >= ?'), args.push(filter.from));
  if (filter.to) (parts.push('c.issue_date <= ?'), args.push(filter.to));
  if (filter.occupationCode) (parts.push('c.occupation_code = ?'), args.push(filter.occupationCode));
  if (filter.level) (parts.push('c.level = ?'), args.push(filter.level));
  if (filter.status) (parts.push('c.status = ?'), args.push(filter.status));
  return { sql: parts.join(' and '), args };
}

export function countCertificates(db: Db, filter: CertificateFilter): number {
  const w = where(filter);
  const row = db.$client
    .prepare(`select count(*) as n from skill_certificates c join organisations o on o.id = c.org_id where ${w.sql}`)
    .get(...w.args) as { n: number };
  return row.n;
}

/**
 * The matching records in chunks, by id (keyset pagination). Each chunk is one short query, so
 * the shared connection is never held by a half-read cursor while the file is being sent.
 */
export async function* certificateRows(db: Db, filter: CertificateFilter): AsyncGenerator<ExportRow[]> {
  const w = where(filter);
  const stmt = db.$client.prepare<(string | number)[], ExportRow>(
    `select c.id, p.name, p.gender, p.id_number, c.occupation_code, c.occupation_name, c.trade, c.level,
            c.theory_score, c.practical_score, c.certificate_number, c.issue_date, c.evaluation_body, c.basis
     from skill_certificates c
     join people p on p.id = c.person_id
     join organisations o on o.id = c.org_id
     where ${w.sql} and c.id > ?
     order by c.id limit ${CHUNK}`,
  );
  let after = 0;
  for (;;) {
    const rows = stmt.all(...w.args, after);
    if (rows.length === 0) return;
    yield rows;
    after = rows[rows.length - 1]!.id;
    // Let other requests (and the socket) run between chunks.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** The value of one column for one record; ID numbers masked unless the caller may see them. */
function cell(key: ExportColumnKey, row: ExportRow, seq: number, fullIds: boolean): string | number {
  switch (key) {
    case 'seq':
      return seq;
    case 'name':
      return row.name;
    case 'gender':
      return row.gender === 'male' ? '男' : '女';
    case 'idType':
      return '居民身份证';
    case 'idNumber':
      return fullIds ? row.id_number : maskResidentId(row.id_number);
    case 'occupationCode':
      return row.occupation_code;
    case 'occupationName':
      return row.occupation_name;
    case 'trade':
      return row.trade || '--';
    case 'level':
      return skillLevelLabel(row.level);
    case 'theoryScore':
      return row.theory_score ?? '';
    case 'practicalScore':
      return row.practical_score ?? '';
    case 'certificateNumber':
      return row.certificate_number ?? '';
    case 'issueDate':
      return row.issue_date ?? '';
    case 'evaluationBody':
      return row.evaluation_body ?? '';
    case 'basis':
      return BASIS_LABELS[row.basis] ?? row.basis;
  }
}

/** Columns whose values are identifiers of digits: Excel must show them as written. */
const IDENTIFIER_COLUMNS: ReadonlySet<ExportColumnKey> = new Set(['idNumber', 'certificateNumber', 'occupationCode']);

/**
 * One CSV cell, safe to open in Excel:
 * - a text starting with =, +, -, @, tab or CR would run as a formula (OWASP CSV injection): it
 *   gets a leading apostrophe, which Excel shows as text (a plain negative number and the
 *   platform's `--` placeholder are left alone: they are not formulas);
 * - an identifier of digits (an 18-digit ID number, a certificate number) is written `="…"`, so
 *   Excel keeps every digit instead of rounding it to 15 and showing 3.40123E+17; our own import
 *   reads it back as the plain text (sheet-reader.ts).
 */
export function csvField(value: string | number, identifier = false): string {
  let text = String(value);
  if (typeof value === 'string') {
    if (identifier && /^\d[\dX]{5,}$/.test(text)) return `"=""${text}"""`;
    if (/^[=+\-@\t\r]/.test(text) && !/^-+$/.test(text) && !/^-?\d+(\.\d+)?$/.test(text)) text = `'${text}`;
  }
  return /[",\r\n']/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV in UTF-8 with a byte-order mark, so Excel opens the Chinese text correctly. */
export function exportCsv(chunks: AsyncGenerator<ExportRow[]>, layout: ExportLayout, fullIds: boolean): Readable {
  async function* lines() {
    yield `\uFEFF${layout.columns.map((c) => csvField(c.header)).join(',')}\r\n`;
    let seq = 0;
    for await (const rows of chunks) {
      let text = '';
      for (const row of rows) {
        seq++;
        text += `${layout.columns.map((c) => csvField(cell(c.key, row, seq, fullIds), IDENTIFIER_COLUMNS.has(c.key))).join(',')}\r\n`;
      }
      yield text;
    }
  }
  return Readable.from(lines(), { objectMode: false });
}

/**
 * An .xlsx written by exceljs' streaming writer: rows are committed as they are read, so memory
 * stays flat however many rows there are. Identifiers are written as text (never numbers) so
 * Excel keeps leading zeros and all 18 digits of an ID number.
 */
export function exportXlsx(chunks: AsyncGenerator<ExportRow[]>, layout: ExportLayout, fullIds: boolean): Readable {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  const sheet = workbook.addWorksheet('职业技能等级');
  sheet.columns = layout.columns.map((c) => ({ header: c.header, key: c.key, width: c.key === 'idNumber' || c.key === 'certificateNumber' ? 24 : 14 }));
  (async () => {
    let seq = 0;
    for await (const rows of chunks) {
      for (const row of rows) {
        seq++;
        sheet.addRow(layout.columns.map((c) => cell(c.key, row, seq, fullIds))).commit();
      }
      // Respect back-pressure: wait while the client is slower than the database.
      if (out.writableNeedDrain) await new Promise((resolve) => out.once('drain', resolve));
    }
    sheet.commit();
    await workbook.commit();
  })().catch((err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))));
  return out;
}
