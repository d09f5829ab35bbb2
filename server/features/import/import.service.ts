import { like } from 'drizzle-orm';
import { NAME_PROBLEM_TEXT, nameProblem, normaliseName } from '../../domain/names.ts';
import type { FastifyInstance } from 'fastify';
import { organisations } from '../../../db/schema.ts';
import { bulkEntryRow, type BulkEntriesInput } from '../../contracts/entries.ts';
import { IMPORT_COLUMNS, IMPORT_MAX_ROWS, type ImportField, type ImportReport, type ImportRowError } from '../../contracts/import.ts';
import { parseResidentId } from '../../domain/resident-id.ts';
import { AppError } from '../../errors.ts';
import type { StaffActor } from '../../plugins/auth.plugin.ts';
import { registerEntriesInBulk } from '../entries/bulk-registration.service.ts';
import { getEventInScope, type RankingDeps } from '../events/events.service.ts';
import { readSheet, type Sheet } from './sheet-reader.ts';

type BulkRow = BulkEntriesInput['entries'][number];
type Layout = { headerRow: number; columns: Map<ImportField, { index: number; header: string }> };
/** A data row once mapped: its sheet row number and, when every cell could be used, the bulk input. */
type MappedRow = { row: number; input: BulkRow | null; cell: (field: ImportField) => string };

/** Headers compared without spaces, asterisks, case or notes in brackets; full-width forms folded. */
export function normaliseHeader(text: string): string {
  return foldWidth(text)
    .toLowerCase()
    .replace(/[(\[【].*?[)\]】]/g, '')
    .replace(/[\s*_:：\-]/g, '');
}

/** Full-width ASCII (ＡＢＣ１２３（）) to half-width, as Chinese input methods often type them. */
function foldWidth(text: string): string {
  return text.replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

const HEADER_LOOKUP = new Map<string, ImportField>(
  IMPORT_COLUMNS.flatMap((c) => [c.zh, c.en, ...c.aliases].map((h) => [normaliseHeader(h), c.field] as const)),
);

/**
 * The header row: the first of the top rows naming both required columns (a title such as
 * "2026年…报名表" may sit above it). 400 `missing_columns` when there is none.
 */
export function findLayout(sheet: Sheet): Layout {
  for (const row of sheet.rows.slice(0, 20)) {
    const columns: Layout['columns'] = new Map();
    row.cells.forEach((cell, index) => {
      const field = HEADER_LOOKUP.get(normaliseHeader(cell));
      if (field && !columns.has(field)) columns.set(field, { index, header: cell });
    });
    if (IMPORT_COLUMNS.every((c) => !c.required || columns.has(c.field))) return { headerRow: row.number, columns };
  }
  const required = IMPORT_COLUMNS.filter((c) => c.required).map((c) => `${c.zh} (${c.en})`);
  throw new AppError(400, 'missing_columns', `No header row with the columns ${required.join(' and ')} in the first rows of the sheet`, [
    { field: 'body', message: `the sheet needs the columns ${required.join(', ')}` },
  ]);
}

/** Skill level written as 1–5, 一级…五级 or a level name (高级技师…初级工); null when blank, undefined when unknown. */
export function parseSkillLevel(text: string): number | null | undefined {
  const t = foldWidth(text).replace(/\s/g, '');
  if (t === '') return null;
  if (/^[1-5]$/.test(t)) return Number(t);
  // Names before grade numbers: "三级/高级工" names both, and 高级技师 contains 技师.
  const names: [RegExp, number][] = [
    [/高级技师/, 1],
    [/技师/, 2],
    [/高级工/, 3],
    [/中级工/, 4],
    [/初级工/, 5],
    [/^(一|1)级/, 1],
    [/^(二|2)级/, 2],
    [/^(三|3)级/, 3],
    [/^(四|4)级/, 4],
    [/^(五|5)级/, 5],
  ];
  return names.find(([re]) => re.test(t))?.[1];
}

/** Organisation names folded for comparison: spaces dropped, full-width brackets made half-width. */
function orgKey(name: string): string {
  return foldWidth(name).replace(/\s/g, '');
}

/**
 * Organisations that can be named in the sheet: the competition owner's subtree (its employers,
 * departments and unions are the delegations). A name held by two of them is ambiguous.
 */
function organisationsByName(deps: RankingDeps, ownerPath: string): Map<string, number | 'ambiguous'> {
  const rows = deps.db
    .select({ id: organisations.id, name: organisations.name })
    .from(organisations)
    .where(like(organisations.path, `${ownerPath}%`))
    .all();
  const byName = new Map<string, number | 'ambiguous'>();
  for (const r of rows) {
    const key = orgKey(r.name);
    byName.set(key, byName.has(key) ? 'ambiguous' : r.id);
  }
  return byName;
}

const ID_CODES = { format: 'id_format', birth_date: 'id_birth_date', check_char: 'id_check_char' } as const;

/**
 * Maps the sheet's rows to bulk-registration rows, checking each cell that can be checked without
 * the database. A row with an unusable cell is reported and left out (input null).
 */
function mapRows(sheet: Sheet, layout: Layout, orgs: Map<string, number | 'ambiguous'>, errors: ImportRowError[]): MappedRow[] {
  const out: MappedRow[] = [];
  for (const sheetRow of sheet.rows) {
    if (sheetRow.number <= layout.headerRow) continue;
    const cell = (field: ImportField) => {
      const c = layout.columns.get(field);
      return c ? (sheetRow.cells[c.index] ?? '').trim() : '';
    };
    if ([...layout.columns.keys()].every((f) => cell(f) === '')) continue; // a blank row (some cells outside our columns)

    const rowErrors: ImportRowError[] = [];
    const fail = (field: ImportField, code: string, message: string) =>
      rowErrors.push({ row: sheetRow.number, column: layout.columns.get(field)?.header ?? field, field, value: cell(field), code, message });

    const name = normaliseName(cell('name').replace(/[ \t\u3000]+/g, ' '));
    const nameIssue = nameProblem(name);
    if (!name) fail('name', 'required', 'the name is missing');
    else if (name.length > 100) fail('name', 'too_long', 'the name is longer than 100 characters');
    else if (nameIssue) fail('name', 'name_unusable', `the name ${NAME_PROBLEM_TEXT[nameIssue]}`);

    const rawId = foldWidth(cell('idNumber')).replace(/\s/g, '').toUpperCase();
    const idColumn = layout.columns.get('idNumber');
    if (!rawId) fail('idNumber', 'required', 'the ID number is missing');
    else {
      const parsed = parseResidentId(rawId);
      if (!parsed.ok && idColumn && sheetRow.numeric[idColumn.index])
        fail('idNumber', 'id_stored_as_number', 'the ID number was stored as a number, which loses its last digits: format the column as text and type it again');
      else if (!parsed.ok) fail('idNumber', ID_CODES[parsed.reason], parsed.message);
    }

    const phone = foldWidth(cell('phone')).replace(/\s/g, '');
    if (phone && !/^[0-9+\-()]{5,30}$/.test(phone)) fail('phone', 'phone_format', 'a phone number has 5 to 30 digits (and + - or brackets)');

    const occupationCode = foldWidth(cell('occupationCode')).replace(/\s/g, '');
    if (occupationCode && !/^\d-\d{2}-\d{2}-\d{2}$/.test(occupationCode))
      fail('occupationCode', 'occupation_code_format', 'an occupation code looks like 6-31-01-03');

    const occupationName = cell('occupationName');
    if (occupationName.length > 200) fail('occupationName', 'too_long', 'the occupation name is longer than 200 characters');

    const skillLevel = parseSkillLevel(cell('skillLevel'));
    if (skillLevel === undefined) fail('skillLevel', 'skill_level', 'a skill level is 1–5 or 高级技师, 技师, 高级工, 中级工, 初级工');

    const orgId = (field: 'employer' | 'delegation'): number | null => {
      const text = cell(field);
      if (!text) return null;
      const found = orgs.get(orgKey(text));
      if (found === undefined && field === 'employer') return null; // kept as written, below
      if (found === undefined) fail(field, 'unknown_organisation', `no organisation named ${text} under the competition's organisation`);
      else if (found === 'ambiguous') fail(field, 'ambiguous_organisation', `more than one organisation is named ${text}`);
      return typeof found === 'number' ? found : null;
    };
    const employerId = orgId('employer');
    // An employer that is not an organisation (a small private firm) is kept as written; the
    // report lists these names so a misspelt organisation is caught in the dry run.
    const employerText = cell('employer').replace(/\s+/g, ' ');
    const employerName = employerId === null && employerText && !orgs.has(orgKey(employerText)) ? employerText : null;
    if (employerName && employerName.length > 100) fail('employer', 'too_long', 'the employer is longer than 100 characters');
    const delegationId = orgId('delegation');

    let input: BulkRow | null = null;
    if (!rowErrors.length) {
      // The bulk registration's own row schema has the last word on the shape.
      const parsed = bulkEntryRow.safeParse({
        person: {
          name,
          idNumber: rawId,
          phone: phone || null,
          employerId,
          employerName,
          occupationCode: occupationCode || null,
          occupationName: occupationName || null,
          skillLevel,
        },
        delegationId,
      });
      if (parsed.success) input = parsed.data;
      else for (const issue of parsed.error.issues) fail(fieldOfPath(issue.path.map(String)) ?? 'name', 'invalid', issue.message);
    }
    errors.push(...rowErrors);
    out.push({ row: sheetRow.number, input, cell });
  }
  return out;
}

/** The sheet column behind a bulk-registration field path (`person.idNumber`, `delegationId`, …). */
function fieldOfPath(path: string[]): ImportField | undefined {
  const key = path[0] === 'person' ? path[1] : path[0];
  const map: Record<string, ImportField> = {
    name: 'name',
    idNumber: 'idNumber',
    phone: 'phone',
    employerId: 'employer',
    employerName: 'employer',
    occupationCode: 'occupationCode',
    occupationName: 'occupationName',
    skillLevel: 'skillLevel',
    delegationId: 'delegation',
    personId: 'idNumber',
  };
  return key === undefined ? undefined : map[key];
}

/** A stable code for the bulk registration's own refusals (it speaks in field messages). */
function codeOfServiceMessage(message: string): string {
  if (message.includes('different name')) return 'name_mismatch';
  if (message.includes('in your scope')) return 'not_in_scope';
  if (message.includes('no such organisation')) return 'unknown_organisation';
  return 'invalid';
}

class DryRunRollback extends Error {}

type BulkOutcome = { ok: true; created: number; existing: number; peopleCreated: number } | { ok: false; failedIndexes: Set<number> };

/**
 * Runs the bulk registration on `rows`, for real or inside a transaction that is always rolled
 * back (a dry run: the very same checks and counts, nothing kept). Its field errors
 * (`body.entries.<i>.person.idNumber`) become row errors of the sheet.
 */
function runBulk(
  app: FastifyInstance,
  actor: StaffActor,
  eventId: number,
  rows: MappedRow[],
  layout: Layout,
  errors: ImportRowError[],
  dryRun: boolean,
): BulkOutcome {
  const entries = rows.map((r) => r.input!);
  const run = (deps: RankingDeps) => registerEntriesInBulk(deps, actor, eventId, { entries });
  try {
    if (!dryRun) {
      const r = run(app);
      return { ok: true, created: r.created, existing: r.existing, peopleCreated: r.peopleCreated };
    }
    let counted: BulkOutcome | undefined;
    // better-sqlite3 turns the service's own transaction into a savepoint of this one, and
    // rolling this one back undoes everything (audit row included). All of it is synchronous,
    // so no other request runs in between. The rankings need no refresh: nothing changed.
    const quiet: RankingDeps = { db: app.db, rankings: { invalidate: () => undefined } as unknown as RankingDeps['rankings'] };
    try {
      app.db.$client.transaction(() => {
        const r = run(quiet);
        counted = { ok: true, created: r.created, existing: r.existing, peopleCreated: r.peopleCreated };
        throw new DryRunRollback();
      })();
    } catch (err) {
      if (!(err instanceof DryRunRollback)) throw err;
    }
    return counted!;
  } catch (err) {
    if (!(err instanceof AppError) || err.status !== 400 || !err.fieldErrors) throw err;
    const failedIndexes = new Set<number>();
    for (const fe of err.fieldErrors) {
      const m = /^body\.entries\.(\d+)\.(.+)$/.exec(fe.field);
      const index = m ? Number(m[1]) : NaN;
      const row = rows[index];
      if (!m || !row) throw err;
      const field = fieldOfPath(m[2]!.split('.')) ?? 'idNumber';
      failedIndexes.add(index);
      errors.push({
        row: row.row,
        column: layout.columns.get(field)?.header ?? field,
        field,
        value: row.cell(field),
        code: codeOfServiceMessage(fe.message),
        message: fe.message,
      });
    }
    return { ok: false, failedIndexes };
  }
}

/**
 * Imports an event's entrants from a spreadsheet (the organiser's registration form): columns
 * matched by header, organisations by name within the competition owner's subtree, every row
 * checked by the bulk registration. All rows valid or nothing is stored; with `dryRun` nothing is
 * stored either way and the report says what an import would do.
 */
export async function importEntries(
  app: FastifyInstance,
  actor: StaffActor,
  eventId: number,
  file: { contentType: string; body: Buffer },
  dryRun: boolean,
): Promise<ImportReport> {
  const ctx = getEventInScope(app.db, actor, eventId);
  const sheet = await readSheet(file.contentType, file.body, IMPORT_MAX_ROWS);
  const layout = findLayout(sheet);
  const dataRows = sheet.rows.filter((r) => r.number > layout.headerRow).length;
  if (dataRows > IMPORT_MAX_ROWS)
    throw new AppError(400, 'too_many_rows', `A file may hold at most ${IMPORT_MAX_ROWS} rows; split it into several files`, [
      { field: 'body', message: `more than ${IMPORT_MAX_ROWS} rows` },
    ]);

  const errors: ImportRowError[] = [];
  const mapped = mapRows(sheet, layout, organisationsByName(app, ctx.orgPath), errors);
  if (mapped.length === 0)
    throw new AppError(400, 'no_rows', 'The sheet has a header row but no entrants below it', [{ field: 'body', message: 'no data rows' }]);

  let usable = mapped.filter((r) => r.input !== null);
  const report = (counts: { created: number; existing: number; peopleCreated: number }, stored: boolean): ImportReport => {
    errors.sort((a, b) => a.row - b.row);
    return {
      dryRun,
      stored,
      sheet: sheet.name,
      headerRow: layout.headerRow,
      total: mapped.length,
      valid: mapped.length - new Set(errors.map((e) => e.row)).size,
      ...counts,
      employersAsText: [...new Set(mapped.flatMap((r) => (r.input?.person?.employerName ? [r.input.person.employerName] : [])))],
      errors,
    };
  };
  const none = { created: 0, existing: 0, peopleCreated: 0 };
  if (usable.length === 0) return report(none, false);

  // A real import only when the sheet is clean so far; otherwise a dry run still finds the
  // database-level problems (a known ID number under another name…) of the remaining rows.
  const real = !dryRun && errors.length === 0;
  const first = runBulk(app, actor, eventId, usable, layout, errors, !real);
  if (first.ok) return report(!dryRun && !real ? none : first, real);
  // A refused import stores and counts nothing; a dry run counts what the rows that passed
  // everything would do (a second, equally discarded, run).
  if (!dryRun) return report(none, false);
  usable = usable.filter((_, i) => !first.failedIndexes.has(i));
  if (usable.length === 0) return report(none, false);
  const second = runBulk(app, actor, eventId, usable, layout, errors, true);
  return report(second.ok ? second : none, false);
}
