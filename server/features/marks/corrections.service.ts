import { and, desc, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { corrections, judges, marks } from '../../../db/schema.ts';
import { conflict, forbidden, notFound } from '../../errors.ts';
import { judgeRoleIn, type JudgeActor } from '../../plugins/auth.plugin.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { markQueries, type MarkRow } from './marks.queries.ts';
import { schemeForRound } from '../events/round-scheme.ts';
import { addMarkVersion, checkValue } from './marks.service.ts';

type CorrectionRow = typeof corrections.$inferSelect;

function eventOf(app: FastifyInstance, eventId: number) {
  const event = markQueries(app.db).event.get(eventId);
  if (!event) throw notFound('Event');
  return event;
}

/** The scheme the mark was given against: its round's. */
function schemeOfMark(app: FastifyInstance, event: { scheme: string }, mark: MarkRow) {
  return schemeForRound(event, markQueries(app.db).round.get(mark.round_id));
}

/** The mark's latest version: corrections always apply to what currently counts. */
function latestOf(app: FastifyInstance, mark: MarkRow): MarkRow {
  const latest = app.db
    .select({ id: marks.id })
    .from(marks)
    .where(
      and(
        eq(marks.roundId, mark.round_id),
        eq(marks.entryId, mark.entry_id),
        eq(marks.judgeId, mark.judge_id),
        eq(marks.partId, mark.part_id),
        eq(marks.criterionId, mark.criterion_id),
      ),
    )
    .orderBy(desc(marks.version))
    .get()!;
  return markQueries(app.db).markById.get(latest.id)!;
}

export function presentCorrection(app: FastifyInstance, row: CorrectionRow) {
  const mark = markQueries(app.db).markById.get(row.markId)!;
  const judge = app.db.select({ name: judges.name }).from(judges).where(eq(judges.id, row.requestedBy)).get();
  return {
    id: row.id,
    markId: row.markId,
    number: mark.drawn_number,
    partId: mark.part_id,
    criterionId: mark.criterion_id,
    oldValue: mark.value,
    newValue: row.newValue,
    reason: row.reason,
    status: row.status,
    requestedBy: row.requestedBy,
    requestedByName: judge?.name ?? '',
    decidedBy: row.decidedBy,
    decidedAt: row.decidedAt?.toISOString() ?? null,
    decisionNote: row.decisionNote,
    resultingMarkId: row.resultingMarkId,
    createdAt: row.createdAt.toISOString(),
  };
}

/** A judge asks to change one of their own marks; the chief judge decides. */
export function requestCorrection(app: FastifyInstance, judge: JudgeActor, input: { markId: number; newValue: number; reason: string }) {
  const q = markQueries(app.db);
  const given = q.markById.get(input.markId);
  const role = given ? judgeRoleIn(judge, given.event_id) : null;
  if (!given || !role) throw notFound('Mark');
  if (given.judge_id !== judge.judgeId) throw forbidden('You can ask to correct only your own marks');
  if (role !== 'judge' && role !== 'chief') throw forbidden('This needs one of the panel roles: judge, chief');
  const event = eventOf(app, given.event_id);
  if (event.released_at != null) throw conflict('results_released', 'Results are released; only an appeal decision can change them');
  const mark = latestOf(app, given);
  checkValue(schemeOfMark(app, event, mark), mark.part_id, mark.criterion_id, input.newValue, 'body.newValue');
  if (mark.value === input.newValue) throw conflict('no_change', 'The new value is the current value');
  const pending = app.db
    .select({ id: corrections.id })
    .from(corrections)
    .where(and(eq(corrections.markId, mark.id), eq(corrections.status, 'pending')))
    .get();
  if (pending) throw conflict('correction_pending', 'A correction of this mark is already waiting for the chief judge');
  const row = app.db.transaction((tx) => {
    const created = tx
      .insert(corrections)
      .values({ markId: mark.id, requestedBy: judge.judgeId, newValue: input.newValue, reason: input.reason })
      .returning()
      .get();
    recordAudit(tx, judge, { action: 'correction.request', entityType: 'correction', entityId: created.id, orgId: event.org_id, after: created });
    return created;
  });
  return presentCorrection(app, row);
}

/** The chief judge approves (a new mark version is stored) or rejects a correction request. */
export function decideCorrection(
  app: FastifyInstance,
  chief: JudgeActor,
  correctionId: number,
  decision: { decision: 'approve' | 'reject'; note?: string },
) {
  const row = app.db.select().from(corrections).where(eq(corrections.id, correctionId)).get();
  if (!row) throw notFound('Correction');
  const mark = markQueries(app.db).markById.get(row.markId)!;
  if (judgeRoleIn(chief, mark.event_id) !== 'chief') throw notFound('Correction');
  if (row.status !== 'pending') throw conflict('already_decided', `This correction was already ${row.status}`);
  const event = eventOf(app, mark.event_id);
  if (event.released_at != null) throw conflict('results_released', 'Results are released; only an appeal decision can change them');
  const current = latestOf(app, mark);
  if (current.id !== mark.id) throw conflict('mark_changed', 'The mark was changed since the request; ask the judge to request again');

  const updated = app.db.transaction((tx) => {
    let resultingMarkId: number | null = null;
    if (decision.decision === 'approve') {
      const version = addMarkVersion(app, chief, mark, row.newValue, `correction #${row.id}: ${row.reason}`, event.org_id);
      resultingMarkId = version.id;
    }
    const after = tx
      .update(corrections)
      .set({
        status: decision.decision === 'approve' ? 'approved' : 'rejected',
        decidedBy: chief.judgeId,
        decidedAt: app.clock.now(),
        decisionNote: decision.note ?? null,
        resultingMarkId,
      })
      .where(eq(corrections.id, row.id))
      .returning()
      .get();
    recordAudit(tx, chief, {
      action: `correction.${decision.decision}`,
      entityType: 'correction',
      entityId: row.id,
      orgId: event.org_id,
      before: row,
      after,
    });
    return after;
  });
  if (decision.decision === 'approve') app.rankings.marksCommitted(mark.event_id);
  return presentCorrection(app, updated);
}

/** The chief judge corrects a mark directly (for example after checking a paper sheet). */
export function chiefCorrectMark(app: FastifyInstance, chief: JudgeActor, markId: number, input: { value: number; reason: string }) {
  const given = markQueries(app.db).markById.get(markId);
  if (!given || judgeRoleIn(chief, given.event_id) !== 'chief') throw notFound('Mark');
  const event = eventOf(app, given.event_id);
  if (event.released_at != null) throw conflict('results_released', 'Results are released; only an appeal decision can change them');
  const mark = latestOf(app, given);
  checkValue(schemeOfMark(app, event, mark), mark.part_id, mark.criterion_id, input.value, 'body.value');
  const row = app.db.transaction(() => addMarkVersion(app, chief, mark, input.value, `chief judge: ${input.reason}`, event.org_id));
  app.rankings.marksCommitted(given.event_id);
  return row;
}
