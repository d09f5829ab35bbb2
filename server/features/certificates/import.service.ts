import { and, eq } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { organisations, people } from '../../../db/schema.ts';
import { createCertificateBody, type ExportLayout } from '../../contracts/certificates.ts';
import { parseResidentId } from '../../domain/resident-id.ts';
import { AppError } from '../../errors.ts';
import type { StaffActor } from '../../plugins/auth.plugin.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { peopleInScope } from '../scope.ts';
import { normaliseHeader, parseSkillLevel } from '../import/import.service.ts';
import { readSheet, type Sheet } from '../import/sheet-reader.ts';
import {
  CERTIFICATE_IMPORT_COLUMNS,
  CERTIFICATE_IMPORT_MAX_ROWS,
  type CertificateImportError,
  type CertificateImportField,
  type CertificateImportReport,
} from './certificates-import.contract.ts';
import { createCertificate, type CertificateInput } from './certificates.service.ts';

type Layout = { headerRow: number; columns: Map<CertificateImportField, { index: number; header: string }> };
type Basis = CertificateInput['basis'];
/** A data row once read: its sheet row number, its cells by field and, when every cell could be used, the record. */
type ReadRow = { row: number; cell: (field: CertificateImportField) => string; input: CertificateInput | null };

/** Full-width ASCII (ＡＢＣ１２３) to half-width, as Chinese input methods often type it. */
function foldWidth(text: string): string {
  return text.replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

/**
 * Header text → field: the provincial headers, their aliases and English keys, plus the headers
 * of the caller's own export layout (a bureau that renamed 证书编号 to 证书号码 can re-import its export).
 */
function headerLookup(layout: ExportLayout): Map<string, CertificateImportField> {
  const lookup = new Map<string, CertificateImportField>();
  const fields = new Set<string>(CERTIFICATE_IMPORT_COLUMNS.map((c) => c.field));
  for (const col of layout.columns) if (fields.has(col.key)) lookup.set(normaliseHeader(col.header), col.key as CertificateImportField);
  for (const c of CERTIFICATE_IMPORT_COLUMNS) for (const h of [c.zh, ...c.aliases]) lookup.set(normaliseHeader(h), c.field);
  return lookup;
}

/**
 * The header row: the first of the top rows naming every required column (a title row such as
 * "2025年职业技能等级认定结果" may sit above it). 400 `missing_columns`, naming what is missing
 * from the closest row, when there is none.
 */
export function findCertificateLayout(sheet: Sheet, exportLayout: ExportLayout): Layout {
  const lookup = headerLookup(exportLayout);
  const required = CERTIFICATE_IMPORT_COLUMNS.filter((c) => c.required);
  let closest: { missing: typeof required } | null = null;
  for (const row of sheet.rows.slice(0, 20)) {
    const columns: Layout['columns'] = new Map();
    row.cells.forEach((cell, index) => {
      const field = lookup.get(normaliseHeader(cell));
      if (field && !columns.has(field)) columns.set(field, { index, header: cell });
    });
    const missing = required.filter((c) => !columns.has(c.field));
    if (missing.length === 0) return { headerRow: row.number, columns };
    if (columns.size > 0 && (!closest || missing.length < closest.missing.length)) closest = { missing };
  }
  const missing = (closest?.missing ?? required).map((c) => c.zh);
  throw new AppError(400, 'missing_columns', `The sheet has no header row with the columns ${missing.join(', ')}`, [
    { field: 'body', message: `missing columns: ${missing.join(', ')}` },
  ]);
}

/** 2024-05-20, 2024/5/20, 2024.5.20, 2024年5月20日, 20240520 or an Excel day number → yyyy-mm-dd; undefined when not a real date. */
export function parseSheetDate(text: string): string | undefined {
  const t = foldWidth(text).replace(/\s/g, '');
  let y: number, m: number, d: number;
  const parts = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(t) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(t);
  if (parts) [y, m, d] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  else if (/^\d{5}$/.test(t)) {
    // A date cell saved without its format: days since 1899-12-30 (Excel's epoch, leap-year bug included).
    const date = new Date(Date.UTC(1899, 11, 30) + Number(t) * 86_400_000);
    [y, m, d] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
  } else return undefined;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d || y < 1950 || y > 2100) return undefined;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

const BASIS_WORDS: [RegExp, Basis][] = [
  [/以赛|竞赛|比赛|competition/i, 'competition_promotion'],
  [/转换|过渡|transfer/i, 'transfer'],
  [/考核|评价|认定|鉴定|考试|exam/i, 'exam'],
  [/其他|其它|other/i, 'other'],
];

/** 认定方式 as the export writes it (考核评价, 以赛代评, 转换认定, 其他) or the enum key; blank = 考核评价. */
export function parseBasis(text: string): Basis | undefined {
  const t = text.trim();
  if (t === '') return 'exam';
  return BASIS_WORDS.find(([re]) => re.test(t))?.[1];
}

/** A score 0–100 (decimals allowed); null when blank, undefined when not a score. */
function parseScore(text: string): number | null | undefined {
  const t = foldWidth(text).replace(/\s/g, '');
  if (t === '') return null;
  if (!/^\d+(\.\d+)?$/.test(t)) return undefined;
  const n = Number(t);
  return n >= 0 && n <= 100 ? n : undefined;
}

const ID_CODES = { format: 'id_format', birth_date: 'id_birth_date', check_char: 'id_check_char' } as const;
/** createCertificateBody's field names are the sheet's fields, except personId (the ID number column). */
const FIELD_OF_BODY: Record<string, CertificateImportField> = {
  personId: 'idNumber',
  orgId: 'idNumber',
  occupationCode: 'occupationCode',
  occupationName: 'occupationName',
  trade: 'trade',
  level: 'level',
  certificateNumber: 'certificateNumber',
  issueDate: 'issueDate',
  evaluationBody: 'evaluationBody',
  basis: 'basis',
  theoryScore: 'theoryScore',
  practicalScore: 'practicalScore',
  status: 'certificateNumber',
};

/**
 * Reads every data row into a certificate record, checking what can be checked without storing
 * anything: the cells' formats, and the person (by ID number, in the caller's scope: their subtree
 * or, for an HR bureau, its region and co-organised competitions; with the same name). A row with an unusable cell is reported and gets no record.
 */
function readRows(db: Db, actor: StaffActor, sheet: Sheet, layout: Layout, errors: CertificateImportError[]): ReadRow[] {
  const out: ReadRow[] = [];
  const findPerson = (idNumber: string) =>
    db
      .select({ id: people.id, name: people.name })
      .from(people)
      .innerJoin(organisations, eq(organisations.id, people.orgId))
      .where(and(eq(people.idNumber, idNumber), peopleInScope(db, actor)))
      .get();

  for (const sheetRow of sheet.rows) {
    if (sheetRow.number <= layout.headerRow) continue;
    const cell = (field: CertificateImportField) => {
      const c = layout.columns.get(field);
      return c ? (sheetRow.cells[c.index] ?? '').trim() : '';
    };
    if ([...layout.columns.keys()].every((f) => cell(f) === '')) continue;

    const rowErrors: CertificateImportError[] = [];
    const fail = (field: CertificateImportField, code: string, message: string) =>
      rowErrors.push({ row: sheetRow.number, column: layout.columns.get(field)?.header ?? field, field, value: cell(field), code, message });
    const need = (field: CertificateImportField, what: string): string => {
      const v = cell(field);
      if (!v) fail(field, 'required', `the ${what} is missing`);
      return v;
    };

    const name = need('name', 'name').replace(/\s+/g, ' ');
    let personId: number | null = null;
    const rawId = foldWidth(cell('idNumber')).replace(/\s/g, '').toUpperCase();
    if (!rawId) fail('idNumber', 'required', 'the ID number is missing');
    else {
      const parsed = parseResidentId(rawId);
      if (!parsed.ok) fail('idNumber', ID_CODES[parsed.reason], parsed.message);
      else {
        // Certificates belong to registered workers: an unknown ID number is an error, never a new
        // person (a typo in the number would otherwise create a stranger holding the certificate).
        const person = findPerson(parsed.value.idNumber);
        if (!person) fail('idNumber', 'unknown_person', 'no person with this ID number is registered in your organisation; register them first');
        else if (name && person.name !== name) fail('name', 'name_mismatch', `the ID number is registered to ${person.name}`);
        else personId = person.id;
      }
    }

    const occupationCode = foldWidth(need('occupationCode', 'occupation code')).replace(/\s/g, '');
    if (occupationCode && !/^\d-\d{2}-\d{2}-\d{2}$/.test(occupationCode))
      fail('occupationCode', 'occupation_code_format', 'an occupation code looks like 6-31-01-03');
    const occupationName = need('occupationName', 'occupation name');

    const levelText = need('level', 'skill level');
    const level = levelText ? parseSkillLevel(levelText) : null;
    if (levelText && level == null) fail('level', 'level', 'a skill level is written 三级/高级工, 高级工, 三级 or 3 (1 = 高级技师 … 5 = 初级工)');

    const scores = { theoryScore: parseScore(cell('theoryScore')), practicalScore: parseScore(cell('practicalScore')) };
    for (const field of ['theoryScore', 'practicalScore'] as const)
      if (scores[field] === undefined) fail(field, 'score', 'a score is a number from 0 to 100');

    const certificateNumber = foldWidth(need('certificateNumber', 'certificate number')).replace(/\s/g, '').toUpperCase();
    const issueText = need('issueDate', 'issue date');
    const issueDate = issueText ? parseSheetDate(issueText) : undefined;
    if (issueText && !issueDate) fail('issueDate', 'date', 'an issue date is written like 2024-05-20');
    const evaluationBody = need('evaluationBody', 'evaluation body');
    const basis = parseBasis(cell('basis'));
    if (!basis) fail('basis', 'basis', '认定方式 is one of 考核评价, 以赛代评, 转换认定, 其他');

    let input: CertificateInput | null = null;
    if (rowErrors.length === 0 && personId !== null) {
      // The route's own body schema has the last word on the shape (lengths, ranges).
      const parsed = createCertificateBody.safeParse({
        personId,
        occupationCode,
        occupationName,
        trade: cell('trade') || '--',
        level,
        certificateNumber,
        issueDate,
        evaluationBody,
        basis,
        theoryScore: scores.theoryScore,
        practicalScore: scores.practicalScore,
        status: 'issued',
      });
      if (parsed.success) input = parsed.data;
      else for (const issue of parsed.error.issues) fail(FIELD_OF_BODY[String(issue.path[0])] ?? 'name', 'invalid', issue.message);
    }
    errors.push(...rowErrors);
    out.push({ row: sheetRow.number, cell, input });
  }
  return out;
}

/** A stable code for createCertificate's refusals of one field. */
function codeOf(err: AppError, field: CertificateImportField): string {
  if (err.code === 'certificate_number_taken') return 'number_taken';
  if (field === 'certificateNumber') return 'certificate_number';
  return err.status === 403 ? 'unknown_person' : 'required';
}

class Rollback extends Error {}

/**
 * Imports certified levels (existing records, issued) from an .xlsx or CSV sheet in the
 * provincial column layout. Rows are matched to people by ID number in the caller's subtree and
 * each record goes through createCertificate itself, inside one transaction: the same checks
 * (certificate number against level and year, number not already recorded, also earlier in the
 * same file), the same audit rows. Any bad row, or a dry run, rolls everything back: all or
 * nothing. A stored import is audited once more as a whole.
 */
export async function importCertificates(
  db: Db,
  actor: StaffActor,
  file: { contentType: string; body: Buffer },
  opts: { dryRun: boolean; exportLayout: ExportLayout },
): Promise<CertificateImportReport> {
  const sheet = await readSheet(file.contentType, file.body, CERTIFICATE_IMPORT_MAX_ROWS);
  const layout = findCertificateLayout(sheet, opts.exportLayout);
  if (sheet.rows.filter((r) => r.number > layout.headerRow).length > CERTIFICATE_IMPORT_MAX_ROWS)
    throw new AppError(400, 'too_many_rows', `A file may hold at most ${CERTIFICATE_IMPORT_MAX_ROWS} rows; split it into several files`, [
      { field: 'body', message: `more than ${CERTIFICATE_IMPORT_MAX_ROWS} rows` },
    ]);

  const errors: CertificateImportError[] = [];
  const rows = readRows(db, actor, sheet, layout, errors);
  if (rows.length === 0) throw new AppError(400, 'no_rows', 'The sheet has a header row but no records below it', [{ field: 'body', message: 'no data rows' }]);

  let created = 0;
  const createdNumbers = new Set<string>();
  const store = !opts.dryRun;
  try {
    db.transaction((tx) => {
      for (const r of rows) {
        if (!r.input) continue;
        try {
          createCertificate(db, actor, r.input, tx);
          created++;
          if (r.input.certificateNumber) createdNumbers.add(r.input.certificateNumber);
        } catch (err) {
          if (!(err instanceof AppError) || err.status >= 500) throw err;
          const problems = err.fieldErrors?.length ? err.fieldErrors : [{ field: 'body.certificateNumber', message: err.message }];
          for (const p of problems) {
            const field = FIELD_OF_BODY[p.field.replace(/^body\./, '').split('.')[0]!] ?? 'certificateNumber';
            // Taken by an earlier row of this very file (stored a moment ago in this transaction)?
            const repeated = err.code === 'certificate_number_taken' && createdNumbers.has(r.input.certificateNumber ?? '');
            errors.push({
              row: r.row,
              column: layout.columns.get(field)?.header ?? field,
              field,
              value: r.cell(field),
              code: repeated ? 'number_repeated' : codeOf(err, field),
              message: repeated ? 'the same certificate number is on an earlier row of this file' : p.message,
            });
          }
        }
      }
      if (!store || errors.length > 0) throw new Rollback();
      recordAudit(tx, actor, {
        action: 'certificates.import',
        entityType: 'organisation',
        entityId: actor.orgId,
        orgId: actor.orgId,
        after: { sheet: sheet.name, contentType: file.contentType, bytes: file.body.length, rows: rows.length, created },
      });
    });
  } catch (err) {
    if (!(err instanceof Rollback)) throw err;
  }

  errors.sort((a, b) => a.row - b.row);
  const badRows = new Set(errors.map((e) => e.row)).size;
  const stored = store && errors.length === 0;
  return {
    dryRun: opts.dryRun,
    stored,
    sheet: sheet.name,
    headerRow: layout.headerRow,
    total: rows.length,
    valid: rows.length - badRows,
    created: stored || opts.dryRun ? created : 0,
    errors,
  };
}
