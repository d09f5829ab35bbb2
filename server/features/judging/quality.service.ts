import { asc, eq, inArray } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { competitions, entries, events, judges, people } from '../../../db/schema.ts';
import type { JudgeQualityReport } from '../../contracts/judging.ts';
import { EXACT_LIMIT, MONTE_CARLO_PERMUTATIONS } from '../../domain/judging/permutation.ts';
import { judgeQuality, type QualityRound } from '../../domain/judging/quality.ts';
import { countingMarks } from '../../domain/judging/trainees.ts';
import { AppError, forbidden, notFound, unauthorized } from '../../errors.ts';
import { authorizeEvent } from '../event-access.ts';
import { getCompetitionInScope } from '../events/events.service.ts';
import { schemeForRound } from '../events/round-scheme.ts';
import { loadEventPanels } from '../judges/panels.queries.ts';
import { currentMarksByRound, homeUnits, roundsOfEvent } from './judging.queries.ts';

/** The chief judge and the supervision group of the event, and organisers and administrators: never judges, never the public. */
const READERS = { staff: ['admin' as const, 'organiser' as const], judge: ['chief' as const, 'supervisor' as const] };

/**
 * Seed of the home-group check's Monte Carlo branch (combined with each judge's id), fixed so a
 * report printed twice gives the same p-values. Issue 13's number, nothing more.
 */
export const QUALITY_SEED = 13;

type CompetitionRow = typeof competitions.$inferSelect;
type EventRow = typeof events.$inferSelect;

/** Judge quality for one event, optionally one round and one part (see server/domain/judging/quality.ts). */
export function eventJudgeQuality(app: FastifyInstance, req: FastifyRequest, eventId: number, q: { roundId?: number; partId?: string }): JudgeQualityReport {
  const { event, competition } = authorizeEvent(app, req, eventId, READERS);
  const roundRows = roundsOfEvent(app.db, eventId);
  if (q.roundId != null && !roundRows.some((r) => r.id === q.roundId))
    throw new AppError(400, 'unknown_round', `The event has no round ${q.roundId}`, [{ field: 'query.roundId', message: 'unknown_round: not a round of this event' }]);
  const chosen = q.roundId != null ? roundRows.filter((r) => r.id === q.roundId) : roundRows;
  if (q.partId != null && !chosen.some((r) => schemeForRound(event, r).parts.some((p) => p.id === q.partId && p.marking !== 'objective')))
    throw new AppError(400, 'unknown_part', `No judged part ${q.partId} in the scheme`, [{ field: 'query.partId', message: 'unknown_part: not a judged part of this scheme' }]);
  return build(app, competition, [event], { roundId: q.roundId ?? null, partId: q.partId ?? null }, true);
}

/**
 * Judge quality over a whole competition: every event for organisers and administrators in
 * scope; for a chief judge or supervisor, the events where they hold that role.
 */
export function competitionJudgeQuality(app: FastifyInstance, req: FastifyRequest, competitionId: number): JudgeQualityReport {
  const actor = req.actor;
  if (!actor) throw unauthorized();
  let competition: CompetitionRow;
  let eventRows = (id: number) => app.db.select().from(events).where(eq(events.competitionId, id)).orderBy(asc(events.id)).all();
  if (actor.kind === 'staff') {
    if (actor.role !== 'admin' && actor.role !== 'organiser') throw forbidden('This needs one of the roles: admin, organiser');
    competition = getCompetitionInScope(app.db, actor, competitionId).competition;
  } else {
    const row = app.db.select().from(competitions).where(eq(competitions.id, competitionId)).get();
    if (!row) throw notFound('Competition');
    competition = row;
    const mine = new Set(actor.assignments.filter((a) => a.role === 'chief' || a.role === 'supervisor').map((a) => a.eventId));
    const all = eventRows;
    eventRows = (id) => all(id).filter((e) => mine.has(e.id));
    if (eventRows(competitionId).length === 0) throw forbidden('Only the chief judge or a supervisor of an event of this competition');
  }
  return build(app, competition, eventRows(competitionId), { roundId: null, partId: null }, false);
}

/** `oneEvent`: the event view (its judges listed even before they mark, its rounds named); else the competition view. */
function build(app: FastifyInstance, competition: CompetitionRow, eventList: EventRow[], filter: { roundId: number | null; partId: string | null }, oneEvent: boolean): JudgeQualityReport {
  const qualityRounds: QualityRound[] = [];
  const roundsOut: JudgeQualityReport['rounds'] = [];
  const partsOut = new Map<string, string>();
  const judgeIds = new Set<number>();
  const eventsOfJudge = new Map<number, Set<string>>();
  const entryIds = new Set<number>();
  for (const event of eventList) {
    const roundRows = roundsOfEvent(app.db, event.id).filter((r) => filter.roundId == null || r.id === filter.roundId);
    const panels = loadEventPanels(app.db, event.id);
    const marksByRound = currentMarksByRound(app.db, roundRows.map((r) => r.id));
    // The event's judges are listed before they mark; a chief judge only once they have marked.
    for (const m of panels.members.values()) if (m.role === 'judge' && !m.trainee && oneEvent) judgeIds.add(m.id);
    for (const round of roundRows) {
      const scheme = schemeForRound(event, round);
      // Trainees' marks never count, so they are no part of the panel a judge is measured against.
      const counting = countingMarks(marksByRound.get(round.id) ?? [], panels.trainees);
      qualityRounds.push({ key: `${event.id}:${round.id}`, scheme, marks: counting, partIds: filter.partId ? new Set([filter.partId]) : null });
      if (oneEvent) roundsOut.push({ id: round.id, seq: round.seq, name: round.name });
      for (const p of scheme.parts) if (p.marking !== 'objective') partsOut.set(p.id, p.name);
      for (const m of counting) {
        if (filter.partId && m.partId !== filter.partId) continue;
        judgeIds.add(m.judgeId);
        entryIds.add(m.entryId);
        let set = eventsOfJudge.get(m.judgeId);
        if (!set) eventsOfJudge.set(m.judgeId, (set = new Set()));
        set.add(event.name);
      }
    }
  }

  const ids = [...judgeIds].sort((a, b) => a - b);
  const judgeRows = ids.length ? app.db.select({ id: judges.id, name: judges.name, employerId: judges.employerId }).from(judges).where(inArray(judges.id, ids)).all() : [];
  const entrantRows = entryIds.size
    ? app.db.select({ id: entries.id, employerId: people.employerId }).from(entries).innerJoin(people, eq(people.id, entries.personId)).where(inArray(entries.id, [...entryIds])).all()
    : [];
  const homes = homeUnits(app.db, competition.orgId, [...judgeRows.map((j) => j.employerId), ...entrantRows.map((e) => e.employerId)]);
  const homeOf = (employerId: number | null) => (employerId == null ? null : (homes.get(employerId) ?? null));
  const judgeHome = new Map(judgeRows.map((j) => [j.id, homeOf(j.employerId)?.key ?? null]));
  const entryHome = new Map(entrantRows.map((e) => [e.id, homeOf(e.employerId)?.key ?? null]));
  const judgeInfo = new Map(judgeRows.map((j) => [j.id, { name: j.name, home: homeOf(j.employerId) }]));

  const results = judgeQuality({ rounds: qualityRounds, judgeIds: ids, judgeHome, entryHome, seed: QUALITY_SEED });
  const single = oneEvent ? eventList[0]! : null;
  return {
    competitionId: competition.id,
    competitionName: competition.name,
    eventId: single?.id ?? null,
    eventName: single?.name ?? null,
    roundId: filter.roundId,
    partId: filter.partId,
    rounds: roundsOut,
    parts: [...partsOut].map(([id, name]) => ({ id, name })),
    method: { scale: 100, homeGroup: 'branch_of_organiser', exactLimit: EXACT_LIMIT, monteCarloPermutations: MONTE_CARLO_PERMUTATIONS, seed: QUALITY_SEED },
    judges: results.map((r) => {
      const info = judgeInfo.get(r.judgeId);
      const { group: _group, ...home } = r.home;
      return {
        ...r,
        name: info?.name ?? `#${r.judgeId}`,
        events: [...(eventsOfJudge.get(r.judgeId) ?? [])],
        home: { ...home, groupName: info?.home?.name ?? null },
      };
    }),
  };
}
