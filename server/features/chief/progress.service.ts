import { and, eq, inArray, sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { corrections, entries, marks, organisations, people, rounds } from '../../../db/schema.ts';
import { OUTLIER_MIN_MARKS, OUTLIER_MIN_POINTS, OUTLIER_SHARE_OF_MAX, outlierThreshold, type MarkingProgress } from '../../contracts/chief.ts';
import { criteriaOf, panelPerCriterion } from '../../contracts/scheme.ts';
import { isRecused, panelKeysOf, panelMembers } from '../../domain/index.ts';
import { entrantEmployers, membersOfEntries } from '../entries/members.ts';
import type { EmployerRef } from '../../domain/recusal.ts';
import { loadEventPanels, NO_SEATS } from '../judges/panels.queries.ts';
import { authorizeEvent } from '../event-access.ts';
import { schemeForRound } from '../events/round-scheme.ts';
import { openDisputeCount } from '../paper/paper.queries.ts';

/** The middle value (the mean of the two middle ones for an even count). */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const PROGRESS_READERS = { staff: ['admin' as const, 'organiser' as const], judge: ['chief' as const, 'supervisor' as const] };

/**
 * The chief judge's grid for a round: contestants by drawn number × the judges on the round's
 * panels, with how many of the criteria each judge is seated for are in, each judge's part marks,
 * and the part marks that lie far from the panel's median (see OUTLIER_* in
 * server/contracts/chief.ts). Part marks and completeness come from the live ranking, so the
 * grid and the ranking never disagree.
 */
export function markingProgress(app: FastifyInstance, req: FastifyRequest, eventId: number, roundId?: number): MarkingProgress {
  const { event } = authorizeEvent(app, req, eventId, PROGRESS_READERS);
  // Numbers only until release, whoever asks: the grid is the chief judge's, and judges work by numbers.
  const ranking = app.rankings.staffRanking(eventId, roundId, { identities: false });
  const round = ranking.roundId;
  const scheme = schemeForRound(event, app.db.select({ scheme: rounds.scheme }).from(rounds).where(eq(rounds.id, round)).get());
  const judgedParts = scheme.parts.filter((p) => p.marking !== 'objective');
  const objectiveParts = scheme.parts.filter((p) => p.marking === 'objective');
  const panels = loadEventPanels(app.db, eventId);
  const seats = panels.seatsByRound.get(round) ?? NO_SEATS;

  // Which criteria (part:criterion) each judge is on the panel for in this round.
  const duties = new Map<number, Set<string>>();
  for (const part of judgedParts)
    for (const { key, criterionId } of panelKeysOf(part))
      for (const judgeId of panelMembers(seats, key, panels.eventJudges).judgeIds) {
        let set = duties.get(judgeId);
        if (!set) duties.set(judgeId, (set = new Set()));
        for (const c of criteriaOf(part)) if (criterionId == null || criterionId === c.id) set.add(`${part.id}:${c.id}`);
      }

  // Current version of every mark slot in the round.
  const current = new Map<string, { entryId: number; judgeId: number; partId: string; criterionId: string; version: number; value: number }>();
  for (const m of app.db
    .select({ entryId: marks.entryId, judgeId: marks.judgeId, partId: marks.partId, criterionId: marks.criterionId, version: marks.version, value: marks.value })
    .from(marks)
    .where(eq(marks.roundId, round))
    .all()) {
    const key = `${m.entryId}:${m.judgeId}:${m.partId}:${m.criterionId}`;
    const prev = current.get(key);
    if (!prev || prev.version < m.version) current.set(key, m);
  }
  const markedCount = new Map<string, number>();
  const markingJudges = new Set<number>();
  const judgedCriteria = new Set(judgedParts.flatMap((p) => criteriaOf(p).map((c) => `${p.id}:${c.id}`)));
  // Elements the chief judge declared void (part:criterion per entry): nothing is expected there.
  const voidsOf = new Map(
    ranking.staffRows.map((r) => [r.entryId, new Set(r.partDetails.flatMap((d) => (d.elements ?? []).filter((e) => e.void).map((e) => `${d.partId}:${e.criterionId}`)))]),
  );
  for (const m of current.values()) {
    if (judgedCriteria.has(`${m.partId}:${m.criterionId}`) && !voidsOf.get(m.entryId)?.has(`${m.partId}:${m.criterionId}`)) {
      const key = `${m.entryId}:${m.judgeId}`;
      markedCount.set(key, (markedCount.get(key) ?? 0) + 1);
      markingJudges.add(m.judgeId);
    }
  }

  // Columns: the judges on this round's panels, and anyone else who has marked a judged part in it.
  const panel = [...panels.members.values()]
    .filter((j) => duties.has(j.id) || markingJudges.has(j.id))
    .sort((a, b) => a.id - b.id);

  const entryIds = ranking.staffRows.map((r) => r.entryId);
  const employerOf = new Map(
    entryIds.length
      ? app.db
          .select({ id: entries.id, employerId: people.employerId, employerName: sql<string | null>`coalesce(${organisations.name}, ${people.employerName})` })
          .from(entries)
          .innerJoin(people, eq(people.id, entries.personId))
          .leftJoin(organisations, eq(organisations.id, people.employerId))
          .where(inArray(entries.id, entryIds))
          .all()
          .map((e): [number, EmployerRef] => [e.id, { organisationId: e.employerId, name: e.employerName }])
      : [],
  );
  // A team or pair: every member's employer counts for recusal.
  const teamMembers = membersOfEntries(app.db, entryIds);

  const pendingRows = app.db
    .select({ entryId: marks.entryId, judgeId: marks.judgeId, roundId: marks.roundId })
    .from(corrections)
    .innerJoin(marks, eq(marks.id, corrections.markId))
    .innerJoin(entries, eq(entries.id, marks.entryId))
    .where(and(eq(corrections.status, 'pending'), eq(entries.eventId, eventId)))
    .all();
  const pendingCells = new Set(pendingRows.filter((p) => p.roundId === round).map((p) => `${p.entryId}:${p.judgeId}`));

  const totals = { expected: 0, marked: 0, missing: 0, completeEntries: 0, checkedIn: 0, outliers: 0 };
  const rows: MarkingProgress['rows'] = [];
  for (const row of ranking.staffRows) {
    if (row.number == null) continue;
    const checkedIn = row.status === 'checked_in';
    const details = new Map(row.partDetails.map((d) => [d.partId, d]));
    const medians = new Map(
      judgedParts.map((p) => {
        const list = details.get(p.id)?.judgeMarks.map((j) => j.mark) ?? [];
        return [p.id, list.length >= OUTLIER_MIN_MARKS ? median(list) : null] as const;
      }),
    );
    let rowMarked = 0;
    let rowExpected = 0;
    const cells = panel.map((j) => {
      const employer = employerOf.get(row.entryId);
      const recused = !!employer && isRecused(j.employer, entrantEmployers(employer, teamMembers.get(row.entryId)));
      const marked = markedCount.get(`${row.entryId}:${j.id}`) ?? 0;
      // A trainee's marks never count, so nothing is expected of them and the row is complete without them.
      const voids = voidsOf.get(row.entryId);
      const duty = duties.get(j.id);
      const dutyCount = duty ? (voids?.size ? [...duty].filter((k) => !voids.has(k)).length : duty.size) : 0;
      const expected = checkedIn && !recused && !j.trainee ? dutyCount : 0;
      rowMarked += Math.min(marked, expected);
      rowExpected += expected;
      const parts = judgedParts.map((p) => {
        const mark = details.get(p.id)?.judgeMarks.find((m) => m.judgeId === j.id)?.mark ?? null;
        const mid = medians.get(p.id) ?? null;
        const outlier = mark != null && mid != null && Math.abs(mark - mid) > outlierThreshold(p.max) + 1e-9;
        if (outlier) totals.outliers++;
        return { partId: p.id, mark, median: mid, outlier };
      });
      return { judgeId: j.id, marked, expected, recused, correctionPending: pendingCells.has(`${row.entryId}:${j.id}`), parts };
    });
    // Complete as the ranking says (every part has the marks its panel expects, recusals taken off):
    // the grid, the venue screen, prizes and proposals read the same flag.
    const complete = row.partDetails.every((d) => d.complete);
    totals.expected += rowExpected;
    totals.marked += rowMarked;
    if (checkedIn) {
      totals.checkedIn++;
      if (complete) totals.completeEntries++;
    }
    rows.push({
      number: row.number,
      status: row.status,
      ...(ranking.released && row.name != null ? { name: row.name } : {}),
      marked: rowMarked,
      expected: rowExpected,
      complete,
      provisional: row.provisional,
      incompleteReason: row.incompleteReason,
      // The organiser's panels page warns of these too (panels.service `recusals`).
      shortPanels: checkedIn
        ? judgedParts.flatMap((p) => {
            const d = details.get(p.id);
            return !panelPerCriterion(p) && d && d.expected > 0 && d.expected < p.minMarks ? [{ partId: p.id, expected: d.expected, minMarks: p.minMarks }] : [];
          })
        : [],
      cells,
      // Objective values (entered by staff, server/features/objective) as the ranking scored them.
      objective: objectiveParts.map((p) => ({ partId: p.id, value: details.get(p.id)?.aggregate ?? null })),
    });
  }
  totals.missing = totals.expected - totals.marked;
  rows.sort((a, b) => a.number - b.number);

  return {
    eventId,
    eventName: event.name,
    roundId: round,
    rounds: ranking.rounds.map((r) => ({ id: r.id, seq: r.seq, name: r.name, status: r.status })),
    released: ranking.released,
    outlierRule: { minPoints: OUTLIER_MIN_POINTS, shareOfMax: OUTLIER_SHARE_OF_MAX, minMarks: OUTLIER_MIN_MARKS },
    parts: judgedParts.map((p) => ({
      id: p.id,
      name: p.name,
      max: p.max,
      criteria: criteriaOf(p).length,
      outlierThreshold: outlierThreshold(p.max),
      judgeIds: [...new Set(panelKeysOf(p).flatMap(({ key }) => panelMembers(seats, key, panels.eventJudges).judgeIds))],
      seated: panelKeysOf(p).some(({ key }) => (seats.get(key)?.length ?? 0) > 0),
    })),
    objectiveParts: objectiveParts.map((p) => ({ id: p.id, name: p.name, max: p.max })),
    judges: panel.map((j) => ({ id: j.id, name: j.name, role: j.role, ...(j.trainee ? { trainee: true } : {}) })),
    rows,
    totals,
    pendingCorrections: pendingRows.length,
    openPaperDisputes: openDisputeCount(app.db, eventId),
  };
}
