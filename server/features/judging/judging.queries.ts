import { asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { marks, organisations, rounds } from '../../../db/schema.ts';
import type { MarkInput } from '../../domain/scoring.ts';
import type { Tx } from '../audit/audit.service.ts';

type RoundRow = typeof rounds.$inferSelect;

/** An event's rounds in order. */
export function roundsOfEvent(db: Db | Tx, eventId: number): RoundRow[] {
  return db.select().from(rounds).where(eq(rounds.eventId, eventId)).orderBy(asc(rounds.seq)).all();
}

/** The round shown by default: the first open one, else the last (as the ranking and the chief's grid). */
export function defaultRound(roundRows: RoundRow[]): RoundRow | undefined {
  return roundRows.find((r) => r.status === 'open') ?? roundRows[roundRows.length - 1];
}

/**
 * The current version of every mark of the given rounds, trainees' included (callers decide what
 * counts), grouped by round. A correction adds a version; the highest is the mark.
 */
export function currentMarksByRound(db: Db | Tx, roundIds: number[]): Map<number, MarkInput[]> {
  const out = new Map<number, MarkInput[]>();
  if (roundIds.length === 0) return out;
  const best = new Map<string, { roundId: number; version: number; mark: MarkInput }>();
  for (const m of db
    .select({ roundId: marks.roundId, entryId: marks.entryId, judgeId: marks.judgeId, partId: marks.partId, criterionId: marks.criterionId, version: marks.version, value: marks.value })
    .from(marks)
    .where(inArray(marks.roundId, roundIds))
    .all()) {
    const key = `${m.roundId}|${m.entryId}|${m.judgeId}|${m.partId}|${m.criterionId}`;
    const prev = best.get(key);
    if (!prev || prev.version < m.version)
      best.set(key, { roundId: m.roundId, version: m.version, mark: { entryId: m.entryId, judgeId: m.judgeId, partId: m.partId, criterionId: m.criterionId, value: m.value } });
  }
  for (const { roundId, mark } of best.values()) {
    const list = out.get(roundId);
    if (list) list.push(mark);
    else out.set(roundId, [mark]);
  }
  return out;
}

/**
 * Home units for the home-group check (server/domain/judging/quality.ts): the branch of the
 * organisation tree directly below the competition's organising body that an employer sits in.
 *
 * Why this and not the region code or the employer: judges already stand aside from entrants of
 * their own employer (recusal), so the employer can never be compared; region codes stop at the
 * county (six digits), so in a county's competition every entrant shares one code. The branch
 * below the organiser is the unit that fields a delegation and whose own people a judge might
 * favour: the city union in a provincial contest (where it agrees with the city part of the region
 * code), the township or industrial park union in a county one (桃花工业园工会, 上派镇工会), or an
 * employer sitting directly under the organiser (its own branch). An employer outside the
 * organiser's subtree, the organiser itself, or an employer written as text has no home unit:
 * its judge or entrant is left out of the check rather than guessed.
 */
export function homeUnits(db: Db | Tx, organiserId: number, employerIds: readonly (number | null)[]): Map<number, { key: string; name: string } | null> {
  const out = new Map<number, { key: string; name: string } | null>();
  const ids = [...new Set(employerIds.filter((id): id is number => id != null))];
  const organiser = db.select({ path: organisations.path }).from(organisations).where(eq(organisations.id, organiserId)).get();
  if (!organiser || ids.length === 0) return out;
  const branchOf = new Map<number, number | null>();
  for (const o of db.select({ id: organisations.id, path: organisations.path }).from(organisations).where(inArray(organisations.id, ids)).all()) {
    if (!o.path.startsWith(organiser.path) || o.path === organiser.path) {
      branchOf.set(o.id, null);
      continue;
    }
    const first = o.path.slice(organiser.path.length).split('/').find((s) => s !== '');
    branchOf.set(o.id, first ? Number(first) : null);
  }
  const branchIds = [...new Set([...branchOf.values()].filter((id): id is number => id != null))];
  const names = new Map(
    branchIds.length ? db.select({ id: organisations.id, name: organisations.name }).from(organisations).where(inArray(organisations.id, branchIds)).all().map((o) => [o.id, o.name]) : [],
  );
  for (const id of ids) {
    const branch = branchOf.get(id) ?? null;
    out.set(id, branch === null ? null : { key: String(branch), name: names.get(branch) ?? String(branch) });
  }
  return out;
}
