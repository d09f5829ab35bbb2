import { and, eq, inArray } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { judgeAssignments, marks } from '../../../db/schema.ts';
import type { EventJudge } from '../../contracts/judges.ts';
import type { TraineeReport } from '../../contracts/judging.ts';
import { criteriaOf } from '../../contracts/scheme.ts';
import { compareTrainee } from '../../domain/judging/trainees.ts';
import { AppError, conflict, notFound } from '../../errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { authorizeEvent } from '../event-access.ts';
import { schemeForRound } from '../events/round-scheme.ts';
import { eventPanel } from '../judges/judges.service.ts';
import { loadEventPanels } from '../judges/panels.queries.ts';
import { currentMarksByRound, defaultRound, roundsOfEvent } from './judging.queries.ts';

/** Who sets trainees: those who set panels (organisers in their judges page, the chief judge at the venue). */
const SETTERS = { staff: ['admin' as const, 'organiser' as const], judge: ['chief' as const] };
/** Who reads the trainee report: those who run and watch the marking. */
const READERS = { staff: ['admin' as const, 'organiser' as const], judge: ['chief' as const, 'supervisor' as const] };

/**
 * Makes a judge of the event a trainee (见习裁判), or an ordinary judge again. Only a judge in the
 * role `judge`; only before they have marked in the event (a trainee's marks do not count and an
 * ordinary judge's do, so switching afterwards would silently change totals); not after release.
 * The event's ranking is reloaded at once: a trainee's seat stops counting towards panel sizes.
 */
export function setTrainee(app: FastifyInstance, req: FastifyRequest, eventId: number, judgeId: number, trainee: boolean): EventJudge {
  const { event, competition, actor } = authorizeEvent(app, req, eventId, SETTERS);
  const before = app.db
    .select()
    .from(judgeAssignments)
    .where(and(eq(judgeAssignments.eventId, eventId), eq(judgeAssignments.judgeId, judgeId)))
    .get();
  if (!before) throw notFound('Judge on this panel');
  const current = before.trainee && before.role === 'judge';
  if (current !== trainee) {
    if (event.releasedAt) throw conflict('results_released', 'Results are released; the panel stays as it marked');
    if (before.role !== 'judge')
      throw new AppError(400, 'trainee_needs_judge_role', `Only a judge can be a trainee (this one is ${before.role})`, [
        { field: 'body.trainee', message: `trainee_needs_judge_role: only a judge in the role judge can be a trainee, not a ${before.role}` },
      ]);
    const roundIds = roundsOfEvent(app.db, eventId).map((r) => r.id);
    const marked = roundIds.length
      ? app.db.select({ id: marks.id }).from(marks).where(and(eq(marks.judgeId, judgeId), inArray(marks.roundId, roundIds))).limit(1).get()
      : undefined;
    if (marked)
      throw new AppError(409, 'marks_exist', 'This judge has marked in this event: whether their marks count can no longer change', [
        { field: 'body.trainee', message: 'marks_exist: the judge has marked in this event' },
      ]);
    app.db.transaction(
      (tx) => {
        tx.update(judgeAssignments).set({ trainee }).where(eq(judgeAssignments.id, before.id)).run();
        recordAudit(tx, actor, {
          action: 'judge.trainee',
          entityType: 'judge',
          entityId: judgeId,
          orgId: competition.orgId,
          before: { eventId, trainee: current },
          after: { eventId, trainee },
        });
      },
      { behavior: 'immediate' },
    );
    app.rankings.invalidate(eventId);
  }
  const judge = eventPanel(app.db, eventId, app.clock.now()).find((j) => j.id === judgeId);
  if (!judge) throw notFound('Judge on this panel');
  return judge;
}

/**
 * How far each trainee of the event was from the counting panel in one round (default: the open
 * one, else the last): per part and criterion, mean absolute difference and rank correlation
 * (server/domain/judging/trainees.ts). By drawn number only: no entrant is named.
 */
export function traineeReport(app: FastifyInstance, req: FastifyRequest, eventId: number, roundId?: number): TraineeReport {
  const { event } = authorizeEvent(app, req, eventId, READERS);
  const roundRows = roundsOfEvent(app.db, eventId);
  const round = roundId != null ? roundRows.find((r) => r.id === roundId) : defaultRound(roundRows);
  if (!round) {
    if (roundId != null) throw new AppError(400, 'unknown_round', `The event has no round ${roundId}`, [{ field: 'query.roundId', message: 'unknown_round: not a round of this event' }]);
    throw notFound('Round');
  }
  const scheme = schemeForRound(event, round);
  const panels = loadEventPanels(app.db, eventId);
  const roundMarks = currentMarksByRound(app.db, [round.id]).get(round.id) ?? [];
  const trainees = [...panels.members.values()].filter((m) => m.trainee).sort((a, b) => a.id - b.id);
  return {
    eventId,
    roundId: round.id,
    rounds: roundRows.map((r) => ({ id: r.id, seq: r.seq, name: r.name, status: r.status })),
    trainees: trainees.map((t) => ({
      judgeId: t.id,
      name: t.name,
      marks: roundMarks.filter((m) => m.judgeId === t.id).length,
      parts: compareTrainee(scheme, roundMarks, t.id, panels.trainees).map((c) => {
        const part = scheme.parts.find((p) => p.id === c.partId)!;
        const criteria = criteriaOf(part);
        return {
          ...c,
          partName: part.name,
          max: part.max,
          criteria: c.criteria.map((x) => {
            const criterion = criteria.find((k) => k.id === x.criterionId)!;
            return { ...x, criterionName: criterion.name, max: criterion.max };
          }),
        };
      }),
    })),
  };
}
