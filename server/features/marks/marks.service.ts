import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { judgeAssignments } from '../../../db/schema.ts';
import { onStep } from '../../domain/decimal.ts';
import type { MarkInput, MarkOut } from '../../contracts/marks.ts';
import { criteriaOf, criterionMin, panelPerCriterion, type Scheme } from '../../contracts/scheme.ts';
import { AppError, notFound } from '../../errors.ts';
import type { Actor, JudgeActor } from '../../plugins/auth.plugin.ts';
import { sameEmployer } from '../../domain/recusal.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { marksRefusedByCompetition } from '../competitions/competition-status.ts';
import { schemeForRound } from '../events/round-scheme.ts';
import { markQueries, type MarkRow } from './marks.queries.ts';

export { parseStoredScheme } from '../events/round-scheme.ts';

type Refusal = { index: number; status: number; code: string; field: string; message: string };

export function presentMark(row: MarkRow): MarkOut {
  return {
    id: row.id,
    roundId: row.round_id,
    number: row.drawn_number,
    judgeId: row.judge_id,
    partId: row.part_id,
    criterionId: row.criterion_id,
    version: row.version,
    value: row.value,
    reason: row.reason,
    enteredAt: new Date(row.entered_at).toISOString(),
    device: row.device,
    judgeCodeNumber: row.judge_code_number,
  };
}


export type SubmitResult = { idempotencyKey: string; outcome: 'stored' | 'duplicate'; mark: MarkOut };

type Job = { judge: JudgeActor; marks: MarkInput[]; resolve: (r: SubmitResult[]) => void; reject: (e: unknown) => void };
const queues = new WeakMap<FastifyInstance, Job[]>();

/** Panel roles that mark (a chief judge may sit on a panel too). */
const MARKING_ROLES = new Set(['judge', 'chief']);

/**
 * Stores a judge's marks, all or nothing. A mark whose idempotency key was already stored
 * returns the first answer (so a tablet's retry never stores twice); every other mark is
 * checked against the event, the round, the entry, the panel and the scheme, and any refusal
 * refuses the whole request with each problem named.
 *
 * The panel: a judge marks only the parts (or criteria) they are seated on in that round; an
 * objective part (theory exam, a measured time) is entered by staff and never by a marking
 * judge. A part nobody is seated on in the round takes marks from the event's judges up to the
 * scheme's `expectedMarks`, and refuses the next one: a mark beyond the panel would silently
 * change the trimmed mean.
 *
 * Group commit: requests that arrive in the same event loop turn are written in one SQLite
 * transaction, each inside its own savepoint (a refused request rolls back alone), so one
 * fsync makes a whole burst durable. Every promise resolves only after that commit, so an
 * acknowledged mark is on disk. The ranking is updated after the commit.
 */
export function submitMarks(app: FastifyInstance, judge: JudgeActor, marks: MarkInput[]): Promise<SubmitResult[]> {
  return new Promise((resolve, reject) => {
    let queue = queues.get(app);
    if (!queue) queues.set(app, (queue = []));
    queue.push({ judge, marks, resolve, reject });
    if (queue.length === 1) setImmediate(() => commitQueued(app));
  });
}

function commitQueued(app: FastifyInstance): void {
  const jobs = queues.get(app)!.splice(0);
  const outcomes: ({ ok: true; value: SubmitResult[]; events: Set<number> } | { ok: false; error: unknown })[] = [];
  try {
    app.db.$client
      .transaction(() => {
        for (const job of jobs) {
          try {
            outcomes.push({ ok: true, ...storeMarks(app, job.judge, job.marks) });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      })
      .immediate();
  } catch (error) {
    for (const job of jobs) job.reject(error);
    return;
  }
  const events = new Set<number>();
  jobs.forEach((job, i) => {
    const outcome = outcomes[i]!;
    if (outcome.ok) {
      for (const id of outcome.events) events.add(id);
      job.resolve(outcome.value);
    } else job.reject(outcome.error);
  });
  for (const eventId of events) app.rankings.marksCommitted(eventId);
}

type EventRow = NonNullable<ReturnType<ReturnType<typeof markQueries>['event']['get']>>;

/** The event's trainee judges (role judge, flagged trainee): asked only where a part has no seats. */
function traineeJudgeIds(app: FastifyInstance, eventId: number): Set<number> {
  return new Set(
    app.db
      .select({ judgeId: judgeAssignments.judgeId })
      .from(judgeAssignments)
      .where(and(eq(judgeAssignments.eventId, eventId), eq(judgeAssignments.role, 'judge'), eq(judgeAssignments.trainee, true)))
      .all()
      .map((r) => r.judgeId),
  );
}

/** One request's marks, in a transaction of its own (a savepoint inside the group commit). */
function storeMarks(app: FastifyInstance, judge: JudgeActor, marks: MarkInput[]): { value: SubmitResult[]; events: Set<number> } {
  const q = markQueries(app.db);
  const now = app.clock.now().getTime();
  const eventsById = new Map<number, EventRow | null>();
  const eventOf = (id: number) => {
    if (!eventsById.has(id)) eventsById.set(id, q.event.get(id) ?? null);
    return eventsById.get(id) ?? null;
  };
  const markingEvents = judge.assignments.filter((a) => MARKING_ROLES.has(a.role));
  const stored = new Set<number>();
  const traineesByEvent = new Map<number, Set<number>>();
  const traineesOf = (eventId: number) => {
    let set = traineesByEvent.get(eventId);
    if (!set) traineesByEvent.set(eventId, (set = traineeJudgeIds(app, eventId)));
    return set;
  };

  const results = app.db.$client.transaction(() => {
    const refusals: Refusal[] = [];
    const out: SubmitResult[] = [];
    const seenInRequest = new Set<string>();
    const refuse = (index: number, status: number, code: string, field: string, message: string) =>
      refusals.push({ index, status, code, field: `body.marks.${index}.${field}`, message });

    marks.forEach((m, i) => {
      const previous = q.markByKey.get(m.idempotencyKey);
      if (previous) {
        const same =
          previous.judge_id === judge.judgeId &&
          (m.eventId == null || previous.event_id === m.eventId) &&
          (m.roundId == null || previous.round_id === m.roundId) &&
          previous.drawn_number === m.number &&
          previous.part_id === m.partId &&
          previous.criterion_id === m.criterionId &&
          previous.value === m.value;
        if (same) out.push({ idempotencyKey: m.idempotencyKey, outcome: 'duplicate', mark: presentMark(previous) });
        else refuse(i, 409, 'idempotency_key_reused', 'idempotencyKey', 'this idempotency key was already used for a different mark');
        return;
      }

      // Which event: named, or the round's, or the only one the judge marks on.
      let eventId: number;
      let givenRound: ReturnType<typeof q.round.get> | undefined;
      if (m.eventId != null) {
        if (!judge.assignments.some((a) => a.eventId === m.eventId)) return refuse(i, 403, 'not_on_event', 'eventId', 'you are not on the panel of this event');
        eventId = m.eventId;
      } else if (m.roundId != null) {
        givenRound = q.round.get(m.roundId);
        if (!givenRound || !judge.assignments.some((a) => a.eventId === givenRound!.event_id))
          return refuse(i, 400, 'unknown_round', 'roundId', 'no such round in your events');
        eventId = givenRound.event_id;
      } else if (markingEvents.length === 1) eventId = markingEvents[0]!.eventId;
      else if (markingEvents.length === 0) return refuse(i, 403, 'not_a_marking_judge', 'number', 'you do not mark in any event');
      else return refuse(i, 400, 'event_required', 'eventId', 'you mark in several events: say which one');
      const role = judge.assignments.find((a) => a.eventId === eventId)!.role;
      if (role === 'supervisor') return refuse(i, 403, 'not_a_marking_judge', 'number', 'supervisors watch; they do not mark');
      if (role === 'scorer') return refuse(i, 403, 'not_a_marking_judge', 'number', 'scorers enter judges’ paper sheets; they do not mark');
      const event = eventOf(eventId);
      if (!event) return refuse(i, 400, 'unknown_event', 'eventId', 'no such event');
      const competitionRefusal = marksRefusedByCompetition(event.competition_status);
      if (event.released_at != null) return refuse(i, 409, 'results_released', 'number', 'results are released; marks are read-only');
      const round = m.roundId ? (givenRound ?? q.round.get(m.roundId)) : q.openRound.get(eventId);
      if (!round || round.event_id !== eventId)
        return refuse(i, m.roundId ? 400 : 409, m.roundId ? 'unknown_round' : 'marking_closed', 'roundId', m.roundId ? 'no such round in this event' : 'marking is closed for this event');
      if (round.status !== 'open') return refuse(i, 409, 'marking_closed', 'roundId', 'marking is closed for this round');
      if (competitionRefusal) return refuse(i, 409, 'competition_not_running', 'roundId', competitionRefusal);
      const scheme = schemeForRound(event, round);
      const entry = q.entryByNumber.get(eventId, m.number);
      if (!entry) return refuse(i, 400, 'unknown_number', 'number', `no contestant has number ${m.number}`);
      if (!q.inRound.get(round.id, entry.id)) return refuse(i, 409, 'entry_not_in_round', 'number', `contestant ${m.number} is not in this round`);
      if (entry.status !== 'checked_in')
        return refuse(i, 409, 'entry_not_checked_in', 'number', `contestant ${m.number} is not checked in (${entry.status})`);
      // A team or pair is one entrant: the judge stands aside if any member shares their employer.
      const entrantEmployers = [entry, ...q.memberEmployers.all(entry.id)].map((e) => ({ organisationId: e.employer_id, name: e.employer_name }));
      if (entrantEmployers.some((e) => sameEmployer({ organisationId: judge.employerId, name: judge.employerName }, e)))
        return refuse(i, 403, 'recused', 'number', `you work for the same employer as contestant ${m.number} and may not mark them`);
      const part = scheme.parts.find((p) => p.id === m.partId);
      if (!part) return refuse(i, 400, 'unknown_part', 'partId', `the scheme has no part ${m.partId}`);
      if (part.marking === 'objective')
        return refuse(i, 403, 'objective_part_staff_only', 'partId', `${part.name} is entered by staff (exam results, measurements), not by a marking judge`);
      const criterion = criteriaOf(part).find((c) => c.id === m.criterionId);
      if (!criterion) return refuse(i, 400, 'unknown_criterion', 'criterionId', `part ${m.partId} has no criterion ${m.criterionId}`);
      if (m.value > criterion.max)
        return refuse(i, 400, 'mark_out_of_range', 'value', `${criterion.name}: at most ${criterion.max}, got ${m.value}`);
      // Below 0 only where the criterion allows it (grades −5 … +5).
      if (m.value < criterionMin(criterion))
        return refuse(i, 400, 'mark_out_of_range', 'value', `${criterion.name}: at least ${criterionMin(criterion)}, got ${m.value}`);
      if (!onStep(m.value, criterion.step))
        return refuse(i, 400, 'mark_off_step', 'value', `${criterion.name}: in steps of ${criterion.step}, got ${m.value}`);

      // The panel of this part (or criterion) in this round.
      const perCriterion = panelPerCriterion(part);
      const seats = q.seats.all(round.id, part.id).filter((s) => s.criterion_id === (perCriterion ? criterion.id : ''));
      const panelName = perCriterion ? `${part.name} · ${criterion.name}` : part.name;
      if (seats.length > 0) {
        if (!seats.some((s) => s.judge_id === judge.judgeId))
          return refuse(i, 403, 'not_on_panel', 'partId', `you are not on the panel of ${panelName} in this round`);
      } else {
        // Trainees (见习裁判) never fill a panel: their marks do not count, and they may always add theirs.
        const trainees = traineesOf(eventId);
        const markers = (perCriterion ? q.criterionMarkers.all(round.id, entry.id, part.id, criterion.id) : q.partMarkers.all(round.id, entry.id, part.id))
          .map((r) => r.judge_id)
          .filter((id) => !trainees.has(id));
        if (!trainees.has(judge.judgeId) && !markers.includes(judge.judgeId) && markers.length >= part.expectedMarks)
          return refuse(i, 409, 'panel_full', 'partId', `${panelName} already has its ${part.expectedMarks} judges’ marks for contestant ${m.number}`);
      }

      const slot = `${round.id}:${entry.id}:${m.partId}:${m.criterionId}`;
      const current = q.currentVersion.get(round.id, entry.id, judge.judgeId, m.partId, m.criterionId)?.version;
      if (current != null || seenInRequest.has(slot))
        return refuse(i, 409, 'already_marked', 'criterionId', `you already marked ${criterion.name} for contestant ${m.number}; ask for a correction`);
      seenInRequest.add(slot);

      const info = q.insertMark.run(
        round.id, entry.id, judge.judgeId, m.partId, m.criterionId, 1, m.value, null, now, m.device ?? null, m.idempotencyKey, judge.codeNumber ?? null,
      );
      // Built here rather than read back: this runs for every mark.
      const row: MarkRow = {
        id: Number(info.lastInsertRowid),
        round_id: round.id,
        entry_id: entry.id,
        judge_id: judge.judgeId,
        part_id: m.partId,
        criterion_id: m.criterionId,
        version: 1,
        value: m.value,
        reason: null,
        entered_at: now,
        device: m.device ?? null,
        idempotency_key: m.idempotencyKey,
        judge_code_number: judge.codeNumber ?? null,
        drawn_number: entry.drawn_number,
        event_id: eventId,
      };
      recordAudit(app.db, judge, {
        action: 'mark.submit',
        entityType: 'mark',
        entityId: row.id,
        orgId: event.org_id,
        after: { round: round.id, number: m.number, part: m.partId, criterion: m.criterionId, value: m.value, device: m.device ?? null, signedOffAt: m.signedOffAt ?? null, codeNumber: judge.codeNumber ?? null },
      });
      stored.add(eventId);
      out.push({ idempotencyKey: m.idempotencyKey, outcome: 'stored', mark: presentMark(row) });
    });

    if (refusals.length > 0) {
      const first = refusals[0]!;
      const message = refusals.map((r) => r.message).join('; ');
      // Throwing rolls the whole request back: a sheet is stored whole or not at all.
      throw new AppError(first.status, first.code, message, refusals.map((r) => ({ field: r.field, message: `${r.code}: ${r.message}` })));
    }
    return out;
  })();
  return { value: results, events: stored };
}

/**
 * Adds a new version of a mark (a correction): the old versions stay. Used by approved
 * correction requests and by the chief judge's own corrections. Runs inside the caller's transaction.
 */
export function addMarkVersion(
  app: FastifyInstance,
  actor: Actor,
  mark: MarkRow,
  value: number,
  reason: string,
  orgId: number,
  action: 'mark.correct' | 'mark.appeal_decision' = 'mark.correct',
): MarkRow {
  const q = markQueries(app.db);
  const current = q.currentVersion.get(mark.round_id, mark.entry_id, mark.judge_id, mark.part_id, mark.criterion_id)!.version!;
  const info = q.insertMark.run(
    mark.round_id, mark.entry_id, mark.judge_id, mark.part_id, mark.criterion_id, current + 1, value, reason, app.clock.now().getTime(), null, null, null,
  );
  const row = q.markById.get(Number(info.lastInsertRowid))!;
  recordAudit(app.db, actor, {
    action: action,
    entityType: 'mark',
    entityId: row.id,
    orgId,
    before: { markId: mark.id, version: mark.version, value: mark.value },
    after: { markId: row.id, version: row.version, value, reason },
  });
  return row;
}

/** Checks a corrected value against the criterion like a first mark. */
export function checkValue(scheme: Scheme, partId: string, criterionId: string, value: number, field: string): void {
  const part = scheme.parts.find((p) => p.id === partId);
  const criterion = part && criteriaOf(part).find((c) => c.id === criterionId);
  if (!criterion) throw new AppError(400, 'unknown_criterion', `no criterion ${criterionId}`, [{ field, message: 'unknown criterion' }]);
  if (value > criterion.max)
    throw new AppError(400, 'mark_out_of_range', `${criterion.name}: at most ${criterion.max}`, [{ field, message: `at most ${criterion.max}` }]);
  if (value < criterionMin(criterion))
    throw new AppError(400, 'mark_out_of_range', `${criterion.name}: at least ${criterionMin(criterion)}`, [{ field, message: `at least ${criterionMin(criterion)}` }]);
  if (!onStep(value, criterion.step))
    throw new AppError(400, 'mark_off_step', `${criterion.name}: in steps of ${criterion.step}`, [{ field, message: `in steps of ${criterion.step}` }]);
}
