import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { XLSX_CONTENT_TYPE } from '../../contracts/import.ts';
import type { Part, Scheme } from '../../contracts/scheme.ts';
import type { SchemeChange, SchemeImportReport } from '../../contracts/spreadsheets.ts';
import { AppError, invalid } from '../../errors.ts';
import type { StaffActor } from '../../plugins/auth.plugin.ts';
import type { RankingService } from '../ranking/ranking.service.ts';
import { canonicalJson, getEventInScope, roundsOf, updateEvent, type EventContext, type RankingDeps, type RoundRow } from '../events/events.service.ts';
import { schemeForRound } from '../events/round-scheme.ts';
import { updateRound } from '../events/rounds.service.ts';
import { parseGate } from '../import/sheet-reader.ts';
import { assertXlsxUnpackedSize } from '../import/xlsx-guard.ts';
import { readSchemeWorkbook } from './scheme-workbook.ts';

/**
 * The marking scheme from a workbook (scheme-workbook.ts): checked with the scheme contract,
 * compared with the scheme in force, and stored through the same services as
 * `PATCH /api/events/:id` and `PATCH /api/rounds/:id`, so the rules on changing a scheme (none
 * once marks were given against it) are theirs, not a copy.
 */

/** The event (in the caller's scope) and, when asked for, one of its rounds (400 for a round of another event). */
export function schemeTarget(app: Pick<FastifyInstance, 'db'>, actor: StaffActor, eventId: number, roundId: number | undefined): EventContext & { round: RoundRow | null } {
  const ctx = getEventInScope(app.db, actor, eventId);
  if (roundId === undefined) return { ...ctx, round: null };
  const round = roundsOf(app.db, eventId).find((r) => r.id === roundId);
  if (!round) throw invalid('query.roundId', `Round ${roundId} is not a round of this event`);
  return { ...ctx, round };
}

/** The uploaded .xlsx as a workbook: the same guards as every import (zip bomb, parse queue). */
export async function loadWorkbook(upload: { contentType: string; body: Buffer }): Promise<ExcelJS.Workbook> {
  if (upload.contentType !== XLSX_CONTENT_TYPE)
    throw new AppError(415, 'unsupported_media_type', `A marking scheme has several sheets: send the .xlsx workbook (${XLSX_CONTENT_TYPE}), not CSV`);
  const body = upload.body;
  if (body.length === 0) throw new AppError(400, 'empty_file', 'The file is empty');
  if (body[0] !== 0x50 || body[1] !== 0x4b) throw new AppError(400, 'unreadable_file', 'This is not an .xlsx file (save it as Excel workbook .xlsx)');
  assertXlsxUnpackedSize(body);
  const wb = new ExcelJS.Workbook();
  try {
    await parseGate.run(() => wb.xlsx.load(body as unknown as Parameters<typeof wb.xlsx.load>[0]));
  } catch {
    throw new AppError(400, 'unreadable_file', 'The .xlsx file could not be read');
  }
  return wb;
}

/**
 * Runs `work` inside a savepoint rolled back afterwards, with live rankings left alone: how a dry
 * run learns whether the real service would refuse the change, without keeping anything.
 * Everything between the savepoint and its rollback is synchronous, so no other request runs
 * inside it.
 */
function refusalOf(app: Pick<FastifyInstance, 'db'>, work: (deps: RankingDeps) => unknown): { code: string; message: string } | null {
  const client = app.db.$client;
  const quiet = { invalidate: () => undefined } as unknown as RankingService;
  client.exec('SAVEPOINT scheme_dry_run');
  try {
    work({ db: app.db, rankings: quiet });
    return null;
  } catch (err) {
    if (err instanceof AppError && err.status < 500) return { code: err.code, message: err.message };
    throw err;
  } finally {
    client.exec('ROLLBACK TO scheme_dry_run');
    client.exec('RELEASE scheme_dry_run');
  }
}

/**
 * Reads the workbook, reports what would change and every problem by its cell, and (without
 * `dryRun`, when there is no problem and something changes) replaces the scheme. The event's rules
 * refuse as PATCH does (409 `marks_exist`); a dry run reports that refusal instead.
 */
export async function importSchemeWorkbook(
  app: Pick<FastifyInstance, 'db' | 'rankings'>,
  actor: StaffActor,
  eventId: number,
  upload: { contentType: string; body: Buffer },
  q: { dryRun: boolean; roundId?: number },
): Promise<SchemeImportReport> {
  const target = schemeTarget(app, actor, eventId, q.roundId);
  const current = schemeForRound(target.event, target.round);
  const read = readSchemeWorkbook(await loadWorkbook(upload));
  const report: SchemeImportReport = {
    dryRun: q.dryRun,
    stored: false,
    eventId,
    roundId: target.round?.id ?? null,
    changed: false,
    changes: [],
    problems: read.problems,
    refusal: null,
    parts: read.parts,
    criteria: read.criteria,
    scheme: read.scheme,
  };
  const next = read.scheme;
  if (!next) return report;
  report.changed = canonicalJson(current) !== canonicalJson(next);
  report.changes = diffSchemes(current, next);
  if (!report.changed) return report;
  const apply = (deps: RankingDeps) => (target.round ? updateRound(deps, actor, target.round.id, { scheme: next }) : updateEvent(deps, actor, eventId, { scheme: next }));
  if (q.dryRun) {
    report.refusal = refusalOf(app, apply);
    return report;
  }
  apply(app);
  report.stored = true;
  return report;
}

// ---------- What changes ----------

type Value = string | number | boolean | null;

/** The fields of a part compared one by one (aggregation as its kind and, for trimmed kinds, how many are dropped). */
function partFields(p: Part): Record<string, Value> {
  const trimmed = p.aggregation.kind === 'trimmed_mean' || p.aggregation.kind === 'trimmed_sum';
  return {
    name: p.name,
    role: p.role,
    weight: p.weight,
    max: p.max,
    marking: p.marking,
    aggregation: p.aggregation.kind,
    drop: trimmed ? (p.aggregation as { drop: number }).drop : null,
    minMarks: p.minMarks,
    expectedMarks: p.expectedMarks,
    panel: p.panel ?? null,
    usesDifficulty: p.usesDifficulty,
    multiplier: p.multiplier,
  };
}

function fieldChanges(before: Record<string, Value>, after: Record<string, Value>) {
  return Object.keys(after)
    .filter((k) => before[k] !== after[k])
    .map((field) => ({ field, before: before[field] ?? null, after: after[field] ?? null }));
}

/** Common ids in each list's order differ: the list was reordered. */
function reordered(before: string[], after: string[]): boolean {
  const both = new Set(before.filter((id) => after.includes(id)));
  const a = before.filter((id) => both.has(id));
  const b = after.filter((id) => both.has(id));
  return a.some((id, i) => b[i] !== id);
}

const change = (kind: SchemeChange['kind'], rest: Partial<SchemeChange>): SchemeChange => ({
  kind,
  partId: null,
  partName: null,
  criterionId: null,
  criterionName: null,
  fields: [],
  ...rest,
});

/** What replacing `a` by `b` changes, item by item: settings, parts and criteria added, removed, changed, reordered. */
export function diffSchemes(a: Scheme, b: Scheme): SchemeChange[] {
  const out: SchemeChange[] = [];
  if (a.totaling !== b.totaling) out.push(change('setting', { fields: [{ field: 'totaling', before: a.totaling, after: b.totaling }] }));
  if (a.tieBreaks.join(',') !== b.tieBreaks.join(','))
    out.push(change('setting', { fields: [{ field: 'tieBreaks', before: a.tieBreaks.join(','), after: b.tieBreaks.join(',') }] }));
  const before = new Map(a.parts.map((p) => [p.id, p]));
  const after = new Map(b.parts.map((p) => [p.id, p]));
  for (const p of a.parts) if (!after.has(p.id)) out.push(change('part_removed', { partId: p.id, partName: p.name }));
  for (const p of b.parts) {
    const old = before.get(p.id);
    if (!old) {
      out.push(change('part_added', { partId: p.id, partName: p.name }));
      for (const c of p.criteria) out.push(change('criterion_added', { partId: p.id, partName: p.name, criterionId: c.id, criterionName: c.name }));
      continue;
    }
    const fields = fieldChanges(partFields(old), partFields(p));
    if (fields.length) out.push(change('part_changed', { partId: p.id, partName: p.name, fields }));
    const oldCriteria = new Map(old.criteria.map((c) => [c.id, c]));
    const newCriteria = new Map(p.criteria.map((c) => [c.id, c]));
    for (const c of old.criteria)
      if (!newCriteria.has(c.id)) out.push(change('criterion_removed', { partId: p.id, partName: p.name, criterionId: c.id, criterionName: c.name }));
    for (const c of p.criteria) {
      const was = oldCriteria.get(c.id);
      if (!was) {
        out.push(change('criterion_added', { partId: p.id, partName: p.name, criterionId: c.id, criterionName: c.name }));
        continue;
      }
      const cf = fieldChanges({ name: was.name, max: was.max, step: was.step }, { name: c.name, max: c.max, step: c.step });
      if (cf.length) out.push(change('criterion_changed', { partId: p.id, partName: p.name, criterionId: c.id, criterionName: c.name, fields: cf }));
    }
    const oldOrder = old.criteria.map((c) => c.id);
    const newOrder = p.criteria.map((c) => c.id);
    if (reordered(oldOrder, newOrder))
      out.push(change('criteria_reordered', { partId: p.id, partName: p.name, fields: [{ field: 'order', before: oldOrder.join(','), after: newOrder.join(',') }] }));
  }
  const oldParts = a.parts.map((p) => p.id);
  const newParts = b.parts.map((p) => p.id);
  if (reordered(oldParts, newParts)) out.push(change('parts_reordered', { fields: [{ field: 'order', before: oldParts.join(','), after: newParts.join(',') }] }));
  return out;
}
