import { and, asc, eq } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { entries, marks, roundEntries, type rounds } from '../../../db/schema.ts';
import { type ElementCell, type ElementGrid, type SetBaseValuesInput, type VoidElementInput } from '../../contracts/elements.ts';
import type { Part, Scheme } from '../../contracts/scheme.ts';
import { AppError, conflict } from '../../errors.ts';
import { recordAudit, type Tx } from '../audit/audit.service.ts';
import { authorizeEvent, type EventAccess } from '../event-access.ts';
import { schemeForRound } from '../events/round-scheme.ts';
import { resolveRound } from '../objective/objective.service.ts';

/**
 * Elements of a round: base values (基础分) per drawn number and element, entered by organisers or
 * the chief judge before or during marking, and void elements (无效动作) the chief judge declares.
 * Both live on round_entries (beside the difficulty coefficients) and reach the scoring engine as
 * EntryInput.baseValues / .voids (server/features/elements/element-inputs.ts).
 *
 * Guarantees: every request is checked whole and stored whole or not at all, each bad cell named
 * (`body.values.<i>.…`); a base value the judges already marked against changes only with a reason;
 * nothing changes once results are released (then only an appeal ruling could); every change is one
 * audit row with before and after; the live ranking is reloaded after.
 */

type RoundRow = typeof rounds.$inferSelect;
type FieldError = { field: string; message: string };

const READ = { staff: ['admin' as const, 'organiser' as const, 'hr_officer' as const, 'viewer' as const], judge: ['chief' as const, 'supervisor' as const] };
const ENTER = { staff: ['admin' as const, 'organiser' as const], judge: ['chief' as const] };
/** A void element is the chief judge's call (the referee's decision), not the office's. */
const DECLARE_VOID = { staff: [], judge: ['chief' as const] };

/** The parts of a scheme whose criteria are elements: aggregated per element, or with base values. */
export function elementParts(scheme: Scheme): Part[] {
  return scheme.parts.filter((p) => p.marking !== 'objective' && (p.aggregateBy === 'element' || p.usesBaseValues === true));
}

/** A base value as the contract allows it: two decimals at most. */
function twoDecimals(value: number): boolean {
  return Math.abs(value * 100 - Math.round(value * 100)) < 1e-6;
}

/** The grade table's base values for a criterion, or null when its grades are not turned into points by a table. */
function allowedBaseValues(scheme: Scheme, part: Part, criterionId: string): number[] | null {
  const tableId = part.criteria.find((c) => c.id === criterionId)?.gradeTable;
  if (tableId === undefined) return null;
  return (scheme.gradeTables ?? []).find((t) => t.id === tableId)?.rows.map((r) => r.baseValue) ?? [];
}

type Member = { entryId: number; number: number | null; status: (typeof entries.$inferSelect)['status']; baseValues: Record<string, Record<string, number>>; voids: Record<string, Record<string, string>> };

function roundMembers(db: Tx, roundId: number): Member[] {
  return db
    .select({ entryId: entries.id, number: entries.drawnNumber, status: entries.status, baseValues: roundEntries.baseValues, voids: roundEntries.voids })
    .from(roundEntries)
    .innerJoin(entries, eq(entries.id, roundEntries.entryId))
    .where(eq(roundEntries.roundId, roundId))
    .orderBy(asc(entries.drawnNumber), asc(entries.id))
    .all();
}

/** `entryId:partId:criterionId` of every element some judge has marked in the round. */
function markedElements(db: Tx, roundId: number): Set<string> {
  return new Set(
    db
      .select({ entryId: marks.entryId, partId: marks.partId, criterionId: marks.criterionId })
      .from(marks)
      .where(eq(marks.roundId, roundId))
      .groupBy(marks.entryId, marks.partId, marks.criterionId)
      .all()
      .map((m) => `${m.entryId}:${m.partId}:${m.criterionId}`),
  );
}

function loadGrid(app: FastifyInstance, db: Tx, access: EventAccess, round: RoundRow): ElementGrid {
  const scheme = schemeForRound(access.event, round);
  const parts = elementParts(scheme);
  const members = roundMembers(db, round.id).filter((m) => m.number !== null);
  const marked = markedElements(db, round.id);
  // The engine's figures per element, from the live ranking (numbers only: no names needed here).
  const figures = new Map<number, Map<string, { judged: number | null; score: number | null; marksIn: number; expected: number }>>();
  if (parts.length > 0)
    for (const row of app.rankings.staffRanking(access.event.id, round.id, { identities: false }).staffRows) {
      const byElement = new Map<string, { judged: number | null; score: number | null; marksIn: number; expected: number }>();
      for (const p of row.partDetails) for (const e of p.elements ?? []) byElement.set(`${p.partId}:${e.criterionId}`, e);
      figures.set(row.entryId, byElement);
    }
  return {
    eventId: access.event.id,
    roundId: round.id,
    released: access.event.releasedAt != null,
    parts: parts.map((p) => ({
      id: p.id,
      name: p.name,
      usesBaseValues: p.usesBaseValues === true,
      voidable: p.marking === 'rubric',
      criteria: p.criteria.map((c) => ({ id: c.id, name: c.name, allowedBaseValues: allowedBaseValues(scheme, p, c.id) })),
    })),
    rows: members.map((m) => ({
      number: m.number!,
      status: m.status,
      cells: parts.flatMap((p) =>
        p.criteria.map((c): ElementCell => {
          const f = figures.get(m.entryId)?.get(`${p.id}:${c.id}`);
          return {
            partId: p.id,
            criterionId: c.id,
            baseValue: p.usesBaseValues ? (m.baseValues[p.id]?.[c.id] ?? null) : null,
            voidReason: m.voids[p.id]?.[c.id] ?? null,
            marked: marked.has(`${m.entryId}:${p.id}:${c.id}`),
            judged: f?.judged ?? null,
            score: f?.score ?? null,
            marksIn: f?.marksIn ?? 0,
            expected: f?.expected ?? 0,
          };
        }),
      ),
    })),
  };
}

/** A round's elements: organisers, admins, HR officers and viewers in scope; the event's chief judge and supervisors. */
export function elementGrid(app: FastifyInstance, req: FastifyRequest, eventId: number, roundId: number | undefined): ElementGrid {
  const access = authorizeEvent(app, req, eventId, READ);
  const round = resolveRound(app.db, eventId, roundId, 'querystring.roundId');
  return loadGrid(app, app.db, access, round);
}

/**
 * Enters many base values of a round at once, all or nothing (organisers, admins, the chief judge).
 * Each cell names a drawn number of the round, a part that uses base values and one of its
 * criteria; a value has at most two decimals and, where the element's grades are turned into
 * points by a grade table, must be one of the table's base values. Cells sent with their current
 * value are not changes. Changing a value some judge has already marked against needs `reason`.
 */
export function setBaseValues(app: FastifyInstance, req: FastifyRequest, eventId: number, input: SetBaseValuesInput): ElementGrid & { changed: number } {
  const access = authorizeEvent(app, req, eventId, ENTER);
  if (access.event.releasedAt) throw conflict('results_released', 'Results are released; base values are fixed');
  const result = app.db.transaction(
    (tx) => {
      const round = resolveRound(tx, eventId, input.roundId);
      const scheme = schemeForRound(access.event, round);
      const parts = new Map(elementParts(scheme).filter((p) => p.usesBaseValues).map((p) => [p.id, p]));
      const byNumber = new Map(roundMembers(tx, round.id).filter((m) => m.number !== null).map((m) => [m.number!, m]));
      const marked = markedElements(tx, round.id);
      const errors: FieldError[] = [];
      const seen = new Set<string>();
      const next = new Map<number, Record<string, Record<string, number>>>();
      const changes: { number: number; partId: string; criterionId: string; before: number | null; after: number | null }[] = [];
      let markedChanges = 0;
      input.values.forEach((v, i) => {
        const at = `body.values.${i}`;
        const member = byNumber.get(v.number);
        if (!member) return errors.push({ field: `${at}.number`, message: `no contestant with number ${v.number} in this round` });
        const part = parts.get(v.partId);
        if (!part)
          return errors.push({
            field: `${at}.partId`,
            message: scheme.parts.some((p) => p.id === v.partId) ? `part ${v.partId} does not use base values` : `no part ${v.partId} in the scheme`,
          });
        if (!part.criteria.some((c) => c.id === v.criterionId)) return errors.push({ field: `${at}.criterionId`, message: `part ${v.partId} has no element ${v.criterionId}` });
        const cell = `${member.entryId}:${v.partId}:${v.criterionId}`;
        if (seen.has(cell)) return errors.push({ field: `${at}.criterionId`, message: 'this cell is given twice' });
        seen.add(cell);
        if (v.baseValue !== null) {
          if (!twoDecimals(v.baseValue)) return errors.push({ field: `${at}.baseValue`, message: 'a base value has at most two decimals' });
          const allowed = allowedBaseValues(scheme, part, v.criterionId);
          if (allowed && !allowed.some((b) => Math.round(b * 100) === Math.round(v.baseValue! * 100)))
            return errors.push({ field: `${at}.baseValue`, message: `the grade table has no row for base value ${v.baseValue} (it has ${allowed.join(', ')})` });
        }
        const values = next.get(member.entryId) ?? structuredClone(member.baseValues);
        const before = values[v.partId]?.[v.criterionId] ?? null;
        if (before === v.baseValue) return;
        if (v.baseValue === null) {
          delete values[v.partId]?.[v.criterionId];
          if (values[v.partId] && Object.keys(values[v.partId]!).length === 0) delete values[v.partId];
        } else (values[v.partId] ??= {})[v.criterionId] = v.baseValue;
        next.set(member.entryId, values);
        changes.push({ number: v.number, partId: v.partId, criterionId: v.criterionId, before, after: v.baseValue });
        if (before !== null && marked.has(cell)) markedChanges++;
      });
      if (errors.length) throw new AppError(400, 'validation_failed', `${errors.length} cells are invalid; nothing was saved`, errors);
      // The judges marked those elements against the value before: a change is a decision someone must explain.
      if (markedChanges > 0 && !input.reason)
        throw new AppError(400, 'reason_required', `${markedChanges} of these elements are already marked: say why their base values change`, [
          { field: 'body.reason', message: 'required when an element already marked changes its base value' },
        ]);
      for (const [entryId, baseValues] of next)
        tx.update(roundEntries)
          .set({ baseValues })
          .where(and(eq(roundEntries.roundId, round.id), eq(roundEntries.entryId, entryId)))
          .run();
      if (changes.length)
        recordAudit(tx, access.actor, {
          action: 'round.base_values',
          entityType: 'round',
          entityId: round.id,
          orgId: access.competition.orgId,
          after: { changes, reason: input.reason ?? null },
        });
      return { round, changed: changes.length };
    },
    { behavior: 'immediate' },
  );
  if (result.changed > 0) app.rankings.invalidate(eventId);
  return { ...loadGrid(app, app.db, access, result.round), changed: result.changed };
}

/**
 * Declares an element of one entry void, or withdraws the declaration (the event's chief judge
 * only). The element then scores 0 and expects no marks; marks already given stay stored and
 * count again if the declaration is withdrawn. Only elements of rubric element parts.
 */
export function setVoidElement(app: FastifyInstance, req: FastifyRequest, eventId: number, input: VoidElementInput): ElementGrid & { changed: boolean } {
  const access = authorizeEvent(app, req, eventId, DECLARE_VOID);
  if (access.event.releasedAt) throw conflict('results_released', 'Results are released; elements can no longer be declared void');
  const result = app.db.transaction(
    (tx) => {
      const round = resolveRound(tx, eventId, input.roundId);
      const scheme = schemeForRound(access.event, round);
      const member = roundMembers(tx, round.id).find((m) => m.number === input.number);
      if (!member) throw new AppError(400, 'validation_failed', `No contestant with number ${input.number} in this round`, [{ field: 'body.number', message: 'no contestant with this number in the round' }]);
      const part = elementParts(scheme).find((p) => p.id === input.partId);
      if (!part || part.marking !== 'rubric')
        throw new AppError(400, 'validation_failed', `Part ${input.partId} has no elements that can be declared void`, [
          { field: 'body.partId', message: part ? 'only elements of a rubric part can be void' : 'no element part with this id' },
        ]);
      if (!part.criteria.some((c) => c.id === input.criterionId))
        throw new AppError(400, 'validation_failed', `Part ${input.partId} has no element ${input.criterionId}`, [{ field: 'body.criterionId', message: 'no such element in the part' }]);
      const voids = structuredClone(member.voids);
      const before = voids[part.id]?.[input.criterionId] ?? null;
      if ((before !== null) === input.void) return { round, changed: false };
      if (input.void) (voids[part.id] ??= {})[input.criterionId] = input.reason;
      else {
        delete voids[part.id]![input.criterionId];
        if (Object.keys(voids[part.id]!).length === 0) delete voids[part.id];
      }
      tx.update(roundEntries)
        .set({ voids })
        .where(and(eq(roundEntries.roundId, round.id), eq(roundEntries.entryId, member.entryId)))
        .run();
      recordAudit(tx, access.actor, {
        action: input.void ? 'element.void' : 'element.void_withdrawn',
        entityType: 'round',
        entityId: round.id,
        orgId: access.competition.orgId,
        before: { number: input.number, partId: part.id, criterionId: input.criterionId, voidReason: before },
        after: { number: input.number, partId: part.id, criterionId: input.criterionId, voidReason: input.void ? input.reason : null, reason: input.reason },
      });
      return { round, changed: true };
    },
    { behavior: 'immediate' },
  );
  if (result.changed) app.rankings.invalidate(eventId);
  return { ...loadGrid(app, app.db, access, result.round), changed: result.changed };
}

