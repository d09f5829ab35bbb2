import { and, count, eq, max, ne } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { marks, objectiveValues, roundEntries, rounds } from '../../../db/schema.ts';
import type { CreateRoundInput, Round, UpdateRoundInput } from '../../contracts/events.ts';
import { criteriaOf, type Scheme } from '../../contracts/scheme.ts';
import { AppError, conflict, notFound } from '../../errors.ts';
import { assertInScope, type StaffActor } from '../../plugins/auth.plugin.ts';
import { recordAudit, type Tx } from '../audit/audit.service.ts';
import { syncCompetitionStatus } from '../competitions/competition-status.ts';
import { assertCompetitionInScope } from '../scope.ts';
import {
  canonicalJson,
  getEventContext,
  getEventInScope,
  presentRound,
  roundsOf,
  type EventContext,
  type RankingDeps,
  type EventRow,
  type RoundRow,
} from './events.service.ts';
import { schemeForRound } from './round-scheme.ts';

/** The round with its event and competition, or 404; and 403 outside the caller's subtree. */
export function getRoundInScope(db: Tx, actor: StaffActor, id: number): EventContext & { round: RoundRow } {
  const round = db.select().from(rounds).where(eq(rounds.id, id)).get();
  if (!round) throw notFound('Round');
  const ctx = getEventContext(db, round.eventId);
  assertCompetitionInScope(db, actor, ctx.competition.id, ctx.orgPath);
  return { ...ctx, round };
}

/** An event's rounds in order, for any staff member in scope. */
export function listRounds(db: Db, actor: StaffActor, eventId: number): Round[] {
  getEventInScope(db, actor, eventId);
  return roundsOf(db, eventId).map(presentRound);
}

/** Adds a round after the existing ones (the next free seq). */
export function createRound(deps: RankingDeps, actor: StaffActor, eventId: number, input: CreateRoundInput): Round {
  const { db } = deps;
  const { competition } = getEventInScope(db, actor, eventId);
  const row = db.transaction(
    (tx) => {
      const last = tx.select({ seq: max(rounds.seq) }).from(rounds).where(eq(rounds.eventId, eventId)).get()?.seq ?? 0;
      const created = tx
        .insert(rounds)
        .values({ ...input, eventId, seq: last + 1 })
        .returning()
        .get();
      recordAudit(tx, actor, { action: 'round.create', entityType: 'round', entityId: created.id, orgId: competition.orgId, after: created });
      // A new round is open: a competition whose marking had closed is running again.
      syncCompetitionStatus(tx, actor, competition.id);
      return created;
    },
    { behavior: 'immediate' },
  );
  // Carry-over and advancement shape the standings of the rounds around it.
  deps.rankings.invalidate(eventId);
  return presentRound(row);
}

/** A scheme without its tie-breaks: what judges' marks are given against and scored by. */
const markedPart = (scheme: Scheme) => canonicalJson({ ...scheme, tieBreaks: [] });

/**
 * Refuses a change of a round's effective scheme (its own, or the event's when `next` is null)
 * once the round has marks, unless only the tie-break chain changes: the marks were given against
 * the parts and criteria, and changing them, their maxima or the weights would orphan marks
 * (a criterion that no longer exists) or silently re-score them. 409 `marks_exist` names the
 * marked parts and the criteria the new scheme would orphan.
 */
function assertSchemeChangeKeepsMarks(tx: Tx, event: EventRow, round: RoundRow, next: Scheme | null): void {
  const from = schemeForRound(event, round);
  const to = schemeForRound(event, { scheme: next });
  if (markedPart(from) === markedPart(to)) return;
  const marked: { partId: string; criterionId: string | null }[] = tx
    .select({ partId: marks.partId, criterionId: marks.criterionId })
    .from(marks)
    .where(eq(marks.roundId, round.id))
    .groupBy(marks.partId, marks.criterionId)
    .all();
  // Objective values (theory scores, measurements) were entered against their part as well.
  for (const v of tx
    .select({ field: objectiveValues.field })
    .from(objectiveValues)
    .where(and(eq(objectiveValues.roundId, round.id), ne(objectiveValues.field, 'completionTime')))
    .groupBy(objectiveValues.field)
    .all())
    marked.push({ partId: v.field, criterionId: null });
  if (marked.length === 0) return;
  const kept = new Set(to.parts.flatMap((p) => [p.id, ...criteriaOf(p).map((c) => `${p.id}.${c.id}`)]));
  const keyOf = (m: { partId: string; criterionId: string | null }) => (m.criterionId === null ? m.partId : `${m.partId}.${m.criterionId}`);
  const orphaned = marked.map(keyOf).filter((k) => !kept.has(k));
  const parts = [...new Set(marked.map((m) => m.partId))].join(', ');
  const message =
    `Round ${round.name} has marks (parts ${parts}): only its tie-breaks can change now` +
    (orphaned.length ? `; this scheme would orphan the marks of ${orphaned.join(', ')}` : '; this scheme would re-score them');
  throw new AppError(409, 'marks_exist', message, [{ field: 'body.scheme', message }]);
}

/**
 * Changes a round's name, kind, carry-over, advancement rule or scheme (null: back to the
 * event's). A scheme change is checked against the round's marks (assertSchemeChangeKeepsMarks).
 */
export function updateRound(deps: RankingDeps, actor: StaffActor, id: number, patch: UpdateRoundInput): Round {
  const { db } = deps;
  const { round: before, event, competition } = getRoundInScope(db, actor, id);
  if (Object.keys(patch).length === 0) return presentRound(before);
  const row = db.transaction((tx) => {
    if (patch.scheme !== undefined) assertSchemeChangeKeepsMarks(tx, event, before, patch.scheme);
    const updated = tx.update(rounds).set(patch).where(eq(rounds.id, id)).returning().get();
    recordAudit(tx, actor, { action: 'round.update', entityType: 'round', entityId: id, orgId: competition.orgId, before, after: updated });
    return updated;
  });
  deps.rankings.invalidate(before.eventId);
  return presentRound(row);
}

/**
 * Deletes an empty round. The first round holds every entry from registration on, so it can go
 * only while the event has no entries; a later round is empty until entrants advance into it.
 * An event always keeps one round, because new entries must have a round to join.
 */
export function deleteRound(deps: RankingDeps, actor: StaffActor, id: number): void {
  const { db } = deps;
  const { round: before, competition } = getRoundInScope(db, actor, id);
  db.transaction(
    (tx) => {
      if (roundsOf(tx, before.eventId).length <= 1) throw conflict('last_round', 'An event needs at least one round');
      if (tx.select({ id: marks.id }).from(marks).where(eq(marks.roundId, id)).limit(1).get())
        throw conflict('marks_exist', 'A round with marks cannot be deleted');
      if (tx.select({ id: objectiveValues.id }).from(objectiveValues).where(eq(objectiveValues.roundId, id)).limit(1).get())
        throw conflict('marks_exist', 'A round with objective values (theory scores, times) cannot be deleted');
      const members = tx.select({ n: count() }).from(roundEntries).where(eq(roundEntries.roundId, id)).get()?.n ?? 0;
      if (members > 0) throw conflict('round_not_empty', 'The round still has entries');
      tx.delete(rounds).where(eq(rounds.id, id)).run();
      recordAudit(tx, actor, { action: 'round.delete', entityType: 'round', entityId: id, orgId: competition.orgId, before });
      syncCompetitionStatus(tx, actor, competition.id);
    },
    { behavior: 'immediate' },
  );
  deps.rankings.invalidate(before.eventId);
}
