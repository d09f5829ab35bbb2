import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { entries, marks, roundEntries } from '../../../db/schema.ts';
import { DIFFICULTY_MAX, DIFFICULTY_MIN, type DifficultyGrid, type SetDifficultyInput } from '../../contracts/entries.ts';
import type { Scheme } from '../../contracts/scheme.ts';
import { AppError, conflict } from '../../errors.ts';
import type { StaffActor } from '../../plugins/auth.plugin.ts';
import { recordAudit, type Tx } from '../audit/audit.service.ts';
import type { EventRow, RankingDeps, RoundRow } from '../events/events.service.ts';
import { getRoundInScope } from '../events/rounds.service.ts';

type FieldError = { field: string; message: string };

/** The scheme a round is marked by (one scheme per event today; the single place to change if rounds get their own). */
function schemeOfRound(event: EventRow, _round: RoundRow): Scheme {
  return event.scheme;
}

/** The grid: every drawn entry of the round × every part that uses a difficulty coefficient. */
function loadGrid(tx: Tx, event: EventRow, round: RoundRow): DifficultyGrid {
  const parts = schemeOfRound(event, round).parts.filter((p) => p.usesDifficulty);
  const rows = tx
    .select({ entryId: entries.id, drawnNumber: entries.drawnNumber, status: entries.status, difficulty: roundEntries.difficulty })
    .from(roundEntries)
    .innerJoin(entries, eq(entries.id, roundEntries.entryId))
    .where(eq(roundEntries.roundId, round.id))
    .orderBy(asc(entries.drawnNumber), asc(entries.id))
    .all();
  const locked = new Set(
    tx
      .select({ entryId: marks.entryId, partId: marks.partId })
      .from(marks)
      .where(eq(marks.roundId, round.id))
      .groupBy(marks.entryId, marks.partId)
      .all()
      .map((m) => `${m.entryId}:${m.partId}`),
  );
  const drawn = rows.filter((r) => r.drawnNumber !== null);
  return {
    roundId: round.id,
    eventId: event.id,
    min: DIFFICULTY_MIN,
    max: DIFFICULTY_MAX,
    parts: parts.map((p) => ({ id: p.id, name: p.name })),
    rows: drawn.map((r) => ({
      entryId: r.entryId,
      drawnNumber: r.drawnNumber!,
      status: r.status,
      values: Object.fromEntries(parts.map((p) => [p.id, r.difficulty[p.id] ?? null])),
      locked: parts.filter((p) => locked.has(`${r.entryId}:${p.id}`)).map((p) => p.id),
    })),
    undrawn: rows.length - drawn.length,
  };
}

/** A round's difficulty coefficients as a grid, for any staff member in scope. */
export function getDifficultyGrid(db: Db, actor: StaffActor, roundId: number): DifficultyGrid {
  const { event, round } = getRoundInScope(db, actor, roundId);
  return loadGrid(db, event, round);
}

/**
 * Sets many difficulty coefficients of a round at once (the organiser's grid), all or nothing.
 * Every cell is checked first: a part of the scheme that uses difficulty, an entry of the round,
 * each cell at most once; a refusal names each bad cell (`body.values.<i>.…`). A coefficient that
 * would change where the part has marks for that entry is refused (409 `marks_exist`): the marks
 * were given against it. Cells sent with their current value are not changes, so saving the whole
 * grid again is harmless. One audit row lists every change; the live ranking is recomputed after.
 */
export function setDifficulty(deps: RankingDeps, actor: StaffActor, roundId: number, input: SetDifficultyInput): DifficultyGrid & { changed: number } {
  const { db } = deps;
  const { event, round, competition } = getRoundInScope(db, actor, roundId);
  if (event.releasedAt) throw conflict('results_released', 'Results are released; difficulty coefficients are fixed');
  const parts = new Map(schemeOfRound(event, round).parts.map((p) => [p.id, p]));

  const result = db.transaction(
    (tx) => {
      const ids = [...new Set(input.values.map((v) => v.entryId))];
      const current = new Map(
        tx
          .select({ entryId: roundEntries.entryId, difficulty: roundEntries.difficulty })
          .from(roundEntries)
          .where(and(eq(roundEntries.roundId, roundId), inArray(roundEntries.entryId, ids)))
          .all()
          .map((r) => [r.entryId, r.difficulty]),
      );
      const locked = new Set(
        tx
          .select({ entryId: marks.entryId, partId: marks.partId })
          .from(marks)
          .where(and(eq(marks.roundId, roundId), inArray(marks.entryId, ids)))
          .groupBy(marks.entryId, marks.partId)
          .all()
          .map((m) => `${m.entryId}:${m.partId}`),
      );

      const errors: FieldError[] = [];
      const lockedErrors: FieldError[] = [];
      const seen = new Set<string>();
      const next = new Map<number, Record<string, number>>();
      const changes: { entryId: number; partId: string; before: number | null; after: number | null }[] = [];
      input.values.forEach((v, i) => {
        const at = `body.values.${i}`;
        const part = parts.get(v.partId);
        if (!part) return errors.push({ field: `${at}.partId`, message: `no part ${v.partId} in the scheme` });
        if (!part.usesDifficulty) return errors.push({ field: `${at}.partId`, message: `part ${v.partId} does not use a difficulty coefficient` });
        const stored = current.get(v.entryId);
        if (!stored) return errors.push({ field: `${at}.entryId`, message: 'no such entry in this round' });
        const cell = `${v.entryId}:${v.partId}`;
        if (seen.has(cell)) return errors.push({ field: `${at}.partId`, message: 'this cell is given twice' });
        seen.add(cell);
        const before = stored[v.partId] ?? null;
        if (before === v.coefficient) return;
        if (locked.has(cell))
          return lockedErrors.push({ field: `${at}.coefficient`, message: `part ${v.partId} already has marks for this entry; its difficulty is fixed` });
        const values = next.get(v.entryId) ?? { ...stored };
        if (v.coefficient === null) delete values[v.partId];
        else values[v.partId] = v.coefficient;
        next.set(v.entryId, values);
        changes.push({ entryId: v.entryId, partId: v.partId, before, after: v.coefficient });
      });
      if (errors.length) throw new AppError(400, 'validation_failed', `${errors.length} cells are invalid; nothing was saved`, errors);
      if (lockedErrors.length)
        throw new AppError(409, 'marks_exist', `${lockedErrors.length} cells belong to parts already marked; nothing was saved`, lockedErrors);

      for (const [entryId, difficulty] of next)
        tx.update(roundEntries)
          .set({ difficulty })
          .where(and(eq(roundEntries.roundId, roundId), eq(roundEntries.entryId, entryId)))
          .run();
      if (changes.length)
        recordAudit(tx, actor, { action: 'round.difficulty', entityType: 'round', entityId: roundId, orgId: competition.orgId, after: { changes } });
      return { ...loadGrid(tx, event, round), changed: changes.length };
    },
    { behavior: 'immediate' },
  );
  if (result.changed > 0) deps.rankings.invalidate(event.id);
  return result;
}
