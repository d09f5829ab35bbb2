import type { FastifyInstance } from 'fastify';
import type { MarkInput, MarkOut } from '../../contracts/marks.ts';
import { criteriaOf, schemeSchema, type Scheme } from '../../contracts/scheme.ts';
import { AppError, notFound } from '../../errors.ts';
import type { Actor, JudgeActor } from '../../plugins/auth.plugin.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { markQueries, type MarkRow } from './marks.queries.ts';

type Refusal = { index: number; status: number; code: string; field: string; message: string };

const schemeCache = new Map<string, Scheme>();

/** Parses a stored scheme once per distinct JSON text (it changes only before marking starts). */
export function parseStoredScheme(json: string): Scheme {
  let scheme = schemeCache.get(json);
  if (!scheme) {
    scheme = schemeSchema.parse(JSON.parse(json));
    if (schemeCache.size > 1000) schemeCache.clear();
    schemeCache.set(json, scheme);
  }
  return scheme;
}

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
  };
}

/** Whether `value` lies on the criterion's step grid (0, step, 2·step, …), tolerant of float noise. */
export function onStep(value: number, step: number): boolean {
  const q = value / step;
  return Math.abs(q - Math.round(q)) < 1e-7;
}

export type SubmitResult = { idempotencyKey: string; outcome: 'stored' | 'duplicate'; mark: MarkOut };

type Job = { judge: JudgeActor; marks: MarkInput[]; resolve: (r: SubmitResult[]) => void; reject: (e: unknown) => void };
const queues = new WeakMap<FastifyInstance, Job[]>();

/**
 * Stores a judge's marks, all or nothing. A mark whose idempotency key was already stored
 * returns the first answer (so a tablet's retry never stores twice); every other mark is
 * checked against the round, the entry, the panel and the scheme, and any refusal refuses the
 * whole request with each problem named.
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
  const outcomes: ({ ok: true; value: SubmitResult[] } | { ok: false; error: unknown })[] = [];
  try {
    app.db.$client
      .transaction(() => {
        for (const job of jobs) {
          try {
            outcomes.push({ ok: true, value: storeMarks(app, job.judge, job.marks) });
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
      if (outcome.value.some((r) => r.outcome === 'stored')) events.add(job.judge.eventId);
      job.resolve(outcome.value);
    } else job.reject(outcome.error);
  });
  for (const eventId of events) app.rankings.marksCommitted(eventId);
}

/** One request's marks, in a transaction of its own (a savepoint inside the group commit). */
function storeMarks(app: FastifyInstance, judge: JudgeActor, marks: MarkInput[]): SubmitResult[] {
  const q = markQueries(app.db);
  const event = q.event.get(judge.eventId);
  if (!event) throw notFound('Event');
  const scheme = parseStoredScheme(event.scheme);
  const now = app.clock.now().getTime();

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
          previous.event_id === judge.eventId &&
          previous.drawn_number === m.number &&
          previous.criterion_id === m.criterionId &&
          previous.value === m.value;
        if (same) out.push({ idempotencyKey: m.idempotencyKey, outcome: 'duplicate', mark: presentMark(previous) });
        else refuse(i, 409, 'idempotency_key_reused', 'idempotencyKey', 'this idempotency key was already used for a different mark');
        return;
      }
      if (judge.role === 'supervisor') return refuse(i, 403, 'not_a_marking_judge', 'number', 'supervisors watch; they do not mark');
      if (judge.role === 'scorer') return refuse(i, 403, 'not_a_marking_judge', 'number', 'scorers enter judges’ paper sheets; they do not mark');
      if (event.released_at != null) return refuse(i, 409, 'results_released', 'number', 'results are released; marks are read-only');
      const round = m.roundId ? q.round.get(m.roundId) : q.openRound.get(judge.eventId);
      if (!round || round.event_id !== judge.eventId)
        return refuse(i, m.roundId ? 400 : 409, m.roundId ? 'unknown_round' : 'marking_closed', 'roundId', m.roundId ? 'no such round in your event' : 'marking is closed for this event');
      if (round.status !== 'open') return refuse(i, 409, 'marking_closed', 'roundId', 'marking is closed for this round');
      const entry = q.entryByNumber.get(judge.eventId, m.number);
      if (!entry) return refuse(i, 400, 'unknown_number', 'number', `no contestant has number ${m.number}`);
      if (!q.inRound.get(round.id, entry.id)) return refuse(i, 409, 'entry_not_in_round', 'number', `contestant ${m.number} is not in this round`);
      if (entry.status !== 'checked_in')
        return refuse(i, 409, 'entry_not_checked_in', 'number', `contestant ${m.number} is not checked in (${entry.status})`);
      if (judge.employerId != null && entry.employer_id === judge.employerId)
        return refuse(i, 403, 'recused', 'number', `you work for the same employer as contestant ${m.number} and may not mark them`);
      const part = scheme.parts.find((p) => p.id === m.partId);
      if (!part) return refuse(i, 400, 'unknown_part', 'partId', `the scheme has no part ${m.partId}`);
      const criterion = criteriaOf(part).find((c) => c.id === m.criterionId);
      if (!criterion) return refuse(i, 400, 'unknown_criterion', 'criterionId', `part ${m.partId} has no criterion ${m.criterionId}`);
      if (m.value > criterion.max)
        return refuse(i, 400, 'mark_out_of_range', 'value', `${criterion.name}: at most ${criterion.max}, got ${m.value}`);
      if (!onStep(m.value, criterion.step))
        return refuse(i, 400, 'mark_off_step', 'value', `${criterion.name}: in steps of ${criterion.step}, got ${m.value}`);
      const slot = `${round.id}:${entry.id}:${m.criterionId}`;
      const current = q.currentVersion.get(round.id, entry.id, judge.judgeId, m.criterionId)?.version;
      if (current != null || seenInRequest.has(slot))
        return refuse(i, 409, 'already_marked', 'criterionId', `you already marked ${criterion.name} for contestant ${m.number}; ask for a correction`);
      seenInRequest.add(slot);

      const info = q.insertMark.run(
        round.id, entry.id, judge.judgeId, m.partId, m.criterionId, 1, m.value, null, now, m.device ?? null, m.idempotencyKey,
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
        drawn_number: entry.drawn_number,
        event_id: judge.eventId,
      };
      recordAudit(app.db, judge, {
        action: 'mark.submit',
        entityType: 'mark',
        entityId: row.id,
        orgId: event.org_id,
        after: { round: round.id, number: m.number, criterion: m.criterionId, value: m.value, device: m.device ?? null },
      });
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
  return results;
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
  const current = q.currentVersion.get(mark.round_id, mark.entry_id, mark.judge_id, mark.criterion_id)!.version;
  const info = q.insertMark.run(
    mark.round_id, mark.entry_id, mark.judge_id, mark.part_id, mark.criterion_id, current + 1, value, reason, app.clock.now().getTime(), null, null,
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
  if (!onStep(value, criterion.step))
    throw new AppError(400, 'mark_off_step', `${criterion.name}: in steps of ${criterion.step}`, [{ field, message: `in steps of ${criterion.step}` }]);
}
