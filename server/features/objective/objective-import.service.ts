import { eq } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { events } from '../../../db/schema.ts';
import {
  COMPLETION_TIME,
  OBJECTIVE_IMPORT_MAX_ROWS,
  parseDuration,
  type ObjectiveImportError,
  type ObjectiveImportReport,
} from '../../contracts/objective.ts';
import type { Scheme } from '../../contracts/scheme.ts';
import { AppError, conflict } from '../../errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { normaliseHeader } from '../import/import.service.ts';
import { readSheet, type Sheet } from '../import/sheet-reader.ts';
import { eventEntries, roundMembers, roundValues, sameValue, slotKey } from './objective.queries.ts';
import { addObjectiveVersion, fieldRule, notCompeting, objectiveAccess, resolveRound, valueProblem } from './objective.service.ts';

/**
 * Import of the exam system's results (理论考试成绩) and measured times from an .xlsx or CSV file:
 * rows matched to contestants by drawn number or by ID number, every row checked, a dry run that
 * reports row by row what an import would do, and a commit that stores all rows or none.
 */

const KEY_HEADERS = {
  // Not 序号 (a row count in most exports) nor 准考证号 (the exam system's own numbering).
  number: ['检录号', '抽签号', '加密号', '参赛号', '参赛编号', '选手编号', '工位号', 'drawnnumber', 'number'],
  idNumber: ['身份证号', '身份证号码', '身份证', '公民身份号码', '证件号码', 'idnumber', 'idno', 'idcard', 'residentid'],
};
const TIME_HEADERS = ['用时', '完成用时', '完成时间', '操作用时', '比赛用时', '竞赛用时', '时间', 'completiontime', 'completionseconds', 'time', 'seconds'];
/** Headers an exam system writes for the one score column, used when the scheme has one objective part. */
const GENERIC_SCORE_HEADERS = ['成绩', '分数', '得分', '总分', '考试成绩', '理论成绩', '理论考试成绩', '理论分数', '理论得分', '理论', 'score', 'result'];
const THEORY_HEADERS = ['理论成绩', '理论考试成绩', '理论分数', '理论得分', '理论', '理论知识', 'theory'];
/** Cells exam systems fill for someone with no result: read as "no value". */
const NO_VALUE = new Set(['缺考', '缺席', '弃考', '-', '—', '/', 'na', 'n/a']);

type Column = { index: number; header: string };
type Layout = { headerRow: number; number?: Column; idNumber?: Column; values: Map<string, Column> };

/** Full-width digits and signs to half-width; spaces removed. */
function fold(text: string): string {
  return text.replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/[\s\u3000]/g, '');
}

/** Which header names which field: the scheme's objective parts by name and id, a lone score column, the time. */
function headerLookup(scheme: Scheme): Map<string, string> {
  const map = new Map<string, string>();
  const add = (h: string, field: string) => {
    const k = normaliseHeader(h);
    if (k && !map.has(k)) map.set(k, field);
  };
  const parts = scheme.parts.filter((p) => p.marking === 'objective');
  for (const p of parts) {
    add(p.name, p.id);
    add(p.id, p.id);
  }
  const theory = parts.filter((p) => p.role === 'theory');
  if (theory.length === 1) for (const h of THEORY_HEADERS) add(h, theory[0]!.id);
  if (parts.length === 1) for (const h of GENERIC_SCORE_HEADERS) add(h, parts[0]!.id);
  for (const h of TIME_HEADERS) add(h, COMPLETION_TIME);
  for (const h of KEY_HEADERS.number) add(h, '#number');
  for (const h of KEY_HEADERS.idNumber) add(h, '#idNumber');
  return map;
}

/** The header row: the first of the top rows with a key column (drawn number or ID number) and a value column. */
function findLayout(sheet: Sheet, scheme: Scheme): Layout {
  const lookup = headerLookup(scheme);
  for (const row of sheet.rows.slice(0, 20)) {
    const layout: Layout = { headerRow: row.number, values: new Map() };
    row.cells.forEach((cell, index) => {
      const field = lookup.get(normaliseHeader(cell));
      if (!field) return;
      const col = { index, header: cell };
      if (field === '#number') layout.number ??= col;
      else if (field === '#idNumber') layout.idNumber ??= col;
      else if (!layout.values.has(field)) layout.values.set(field, col);
    });
    if ((layout.number || layout.idNumber) && layout.values.size > 0) return layout;
  }
  const parts = scheme.parts.filter((p) => p.marking === 'objective').map((p) => p.name);
  throw new AppError(400, 'missing_columns', `No header row with 检录号 (drawn number) or 身份证号 (ID number) and a result column (${[...parts, '用时'].join(', ')}) in the first rows of the sheet`, [
    { field: 'body', message: 'the sheet needs a 检录号 or 身份证号 column and a result column' },
  ]);
}

/** A score: digits with an optional decimal part (a trailing 分 allowed). Undefined when unreadable. */
function parseScore(text: string): number | undefined {
  const t = fold(text).replace(/分$/, '');
  return /^\d+(\.\d+)?$/.test(t) ? Number(t) : undefined;
}

/**
 * Checks a file of results against the round and, unless it is a dry run, stores every value it
 * brings (a new version per changed cell), all or nothing. A file that changes values already
 * entered needs a reason. Answers with the report row by row.
 */
export async function importObjectiveValues(
  app: FastifyInstance,
  req: FastifyRequest,
  eventId: number,
  file: { contentType: string; body: Buffer },
  opts: { dryRun: boolean; roundId?: number; reason?: string },
): Promise<ObjectiveImportReport> {
  const access = objectiveAccess(app, req, eventId, 'manage');
  const { scheme, actor, competition } = access;
  const round = resolveRound(app.db, eventId, opts.roundId, 'querystring.roundId');
  if (access.event.releasedAt) throw conflict('results_released', 'Results are released; values change only through an appeal ruling');
  if (round.status !== 'open') throw conflict('marking_closed', 'This round is locked; the chief judge reopens it to change values');

  const sheet = await readSheet(file.contentType, file.body, OBJECTIVE_IMPORT_MAX_ROWS);
  const layout = findLayout(sheet, scheme);
  const dataRows = sheet.rows.filter((r) => r.number > layout.headerRow);
  if (dataRows.length > OBJECTIVE_IMPORT_MAX_ROWS)
    throw new AppError(400, 'too_many_rows', `A file may hold at most ${OBJECTIVE_IMPORT_MAX_ROWS} rows; split it into several files`, [
      { field: 'body', message: `more than ${OBJECTIVE_IMPORT_MAX_ROWS} rows` },
    ]);
  if (dataRows.length === 0) throw new AppError(400, 'no_rows', 'The sheet has a header row but no results below it', [{ field: 'body', message: 'no data rows' }]);

  const all = eventEntries(app.db, eventId);
  const byNumber = new Map(all.filter((e) => e.number != null).map((e) => [e.number!, e]));
  const byId = new Map(all.map((e) => [e.idNumber.toUpperCase(), e]));
  const members = roundMembers(app.db, round.id);
  const current = roundValues(app.db, round.id).current;
  const matchBy: ObjectiveImportReport['matchBy'] = layout.number && layout.idNumber ? 'both' : layout.number ? 'number' : 'idNumber';
  // Someone who works by drawn number only must not learn which number an ID number drew.
  const revealNumbers = matchBy === 'number' || access.showsNames;

  const errors: ObjectiveImportError[] = [];
  const rows: ObjectiveImportReport['rows'] = [];
  const firstRowOf = new Map<number, number>();
  const writes: { row: number; entryId: number; number: number | null; field: string; value: number; change: 'new' | 'change' }[] = [];
  const counts = { newValues: 0, changedValues: 0, unchangedValues: 0 };

  for (const sheetRow of dataRows) {
    const cellOf = (c: Column | undefined) => (c ? (sheetRow.cells[c.index] ?? '').trim() : '');
    const rowErrors: ObjectiveImportError[] = [];
    const fail = (col: Column | undefined, field: string, code: string, message: string) =>
      rowErrors.push({ row: sheetRow.number, column: col?.header ?? field, field, value: cellOf(col), code, message });

    // The contestant.
    const numberText = fold(cellOf(layout.number));
    const idText = fold(cellOf(layout.idNumber)).toUpperCase();
    let entry: (typeof all)[number] | undefined;
    if (!numberText && !idText) fail(layout.number ?? layout.idNumber, layout.number ? 'number' : 'idNumber', 'missing_key', 'the row has neither a drawn number nor an ID number');
    let byNumberEntry: (typeof all)[number] | undefined;
    if (numberText) {
      if (!/^\d+$/.test(numberText)) fail(layout.number, 'number', 'unknown_number', `${numberText} is not a drawn number`);
      else {
        byNumberEntry = byNumber.get(Number(numberText));
        if (!byNumberEntry) fail(layout.number, 'number', 'unknown_number', `no contestant has number ${numberText}`);
      }
    }
    let byIdEntry: (typeof all)[number] | undefined;
    if (idText) {
      const numeric = layout.idNumber ? sheetRow.numeric[layout.idNumber.index] : false;
      if (!/^\d{17}[\dX]$/.test(idText))
        fail(
          layout.idNumber,
          'idNumber',
          'id_format',
          numeric ? 'the ID number was stored as a number, which loses its last digits: format the column as text' : 'an ID number has 17 digits and a final digit or X',
        );
      else {
        byIdEntry = byId.get(idText);
        if (!byIdEntry) fail(layout.idNumber, 'idNumber', 'id_not_entrant', 'nobody with this ID number is entered in the event');
      }
    }
    if (byNumberEntry && byIdEntry && byNumberEntry.id !== byIdEntry.id)
      fail(layout.number, 'number', 'key_mismatch', `number ${numberText} and the ID number name different contestants`);
    else entry = byNumberEntry ?? byIdEntry;
    if (entry && !members.has(entry.id)) {
      fail(layout.number ?? layout.idNumber, layout.number ? 'number' : 'idNumber', 'not_in_round', 'this contestant is not in the round');
      entry = undefined;
    }
    if (entry) {
      const first = firstRowOf.get(entry.id);
      if (first !== undefined) {
        fail(layout.number ?? layout.idNumber, layout.number ? 'number' : 'idNumber', 'duplicate_row', `the same contestant as row ${first}`);
        entry = undefined;
      } else firstRowOf.set(entry.id, sheetRow.number);
    }

    // The values.
    const cells: ObjectiveImportReport['rows'][number]['cells'] = [];
    let anyValue = false;
    for (const [field, col] of layout.values) {
      const text = cellOf(col);
      if (!text || NO_VALUE.has(fold(text).toLowerCase())) continue;
      anyValue = true;
      const rule = fieldRule(scheme, field)!;
      const value = field === COMPLETION_TIME ? parseDuration(text) : parseScore(text);
      if (value === undefined) {
        if (field === COMPLETION_TIME) fail(col, field, 'time_format', 'a time is seconds (754) or minutes:seconds (12:34)');
        else fail(col, field, 'not_a_number', `${rule.name}: ${text} is not a number`);
        continue;
      }
      const problem = valueProblem(rule, value);
      if (problem) {
        fail(col, field, problem.code, problem.message);
        continue;
      }
      if (!entry) continue;
      const previous = current.get(slotKey({ roundId: round.id, entryId: entry.id, field }))?.value ?? null;
      const change = previous === null ? 'new' : sameValue(previous, value) ? 'same' : 'change';
      cells.push({ field, value, previous, change });
    }
    if (entry && anyValue && notCompeting(entry.status)) fail(layout.number ?? layout.idNumber, layout.number ? 'number' : 'idNumber', 'entry_not_competing', `this contestant is ${entry.status}`);

    const ok = rowErrors.length === 0;
    errors.push(...rowErrors);
    rows.push({ row: sheetRow.number, number: entry && revealNumbers ? entry.number : null, ok, cells: ok ? cells : [] });
    if (ok && entry)
      for (const c of cells) {
        if (c.change === 'same') counts.unchangedValues++;
        else {
          if (c.change === 'new') counts.newValues++;
          else counts.changedValues++;
          writes.push({ row: sheetRow.number, entryId: entry.id, number: entry.number, field: c.field, value: c.value, change: c.change });
        }
      }
  }

  const report = (stored: boolean): ObjectiveImportReport => ({
    dryRun: opts.dryRun,
    stored,
    sheet: sheet.name,
    roundId: round.id,
    headerRow: layout.headerRow,
    matchBy,
    columns: [...layout.values].map(([field, col]) => ({ field, header: col.header })),
    total: rows.length,
    valid: rows.filter((r) => r.ok).length,
    ...counts,
    reasonRequired: counts.changedValues > 0,
    errors,
    rows,
  });
  if (opts.dryRun || errors.length > 0) return report(false);
  if (counts.changedValues > 0 && !opts.reason)
    throw new AppError(400, 'reason_required', `The file changes ${counts.changedValues} values already entered: give a reason`, [
      { field: 'querystring.reason', message: 'a reason is required to change values already entered' },
    ]);

  const at = app.clock.now();
  app.db.transaction(
    (tx) => {
      // Checked again inside the write: the round may have been locked since the file was read.
      const ev = tx.select({ releasedAt: events.releasedAt }).from(events).where(eq(events.id, eventId)).get();
      if (ev?.releasedAt) throw conflict('results_released', 'Results are released; values change only through an appeal ruling');
      if (resolveRound(tx, eventId, round.id).status !== 'open') throw conflict('marking_closed', 'This round is locked');
      for (const w of writes) {
        addObjectiveVersion(tx, actor, competition.orgId, { roundId: round.id, entryId: w.entryId, field: w.field, number: w.number }, w.value, {
          source: 'import',
          reason: w.change === 'change' ? opts.reason! : null,
          at,
          detail: { row: w.row },
        });
      }
      recordAudit(tx, actor, {
        action: 'objective.import',
        entityType: 'event',
        entityId: eventId,
        orgId: competition.orgId,
        after: { round: round.id, sheet: sheet.name, rows: rows.length, ...counts, reason: opts.reason ?? null },
      });
    },
    { behavior: 'immediate' },
  );
  if (writes.length > 0) app.rankings.invalidate(eventId);
  return report(true);
}
