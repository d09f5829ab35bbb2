import { and, eq } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { appeals, entries, events, rounds } from '../../../db/schema.ts';
import { appealWindowOf } from '../../domain/awards/index.ts';
import { AppError, conflict, invalid, notFound } from '../../errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { syncCompetitionStatus } from '../competitions/competition-status.ts';
import { authorizeEvent } from '../event-access.ts';
import { markQueries } from '../marks/marks.queries.ts';
import { schemeForRound } from '../events/round-scheme.ts';
import { addMarkVersion, checkValue } from '../marks/marks.service.ts';
import { applyAppealObjectiveValues } from '../objective/objective.service.ts';

type AppealRow = typeof appeals.$inferSelect;

/** Who records and decides appeals: the supervision and arbitration group (监督仲裁组), i.e. supervisors, or the organisers. */
const ARBITERS = { staff: ['admin' as const, 'organiser' as const], judge: ['supervisor' as const] };
const READERS = { staff: ['admin' as const, 'organiser' as const, 'hr_officer' as const, 'viewer' as const], judge: ['chief' as const, 'supervisor' as const] };

/** When marking closed for the whole event (every round closed), or null while any is open. */
export function markingClosedAt(app: FastifyInstance, eventId: number): Date | null {
  const all = app.db.select({ status: rounds.status, closedAt: rounds.closedAt }).from(rounds).where(eq(rounds.eventId, eventId)).all();
  if (all.length === 0 || all.some((r) => r.status !== 'closed' || !r.closedAt)) return null;
  return new Date(Math.max(...all.map((r) => r.closedAt!.getTime())));
}

type EventRow = typeof events.$inferSelect;
type CompetitionRow = { appealRule: 'publicity_period' | 'hours_after_marking' | 'hours_after_release'; appealWindowHours: number };

/**
 * When appeals may be lodged for this event under its competition's rule (see `appealWindowOf`):
 * by default during the publicity period, from release to its end. Null while not open yet.
 */
export function appealWindow(app: FastifyInstance, event: EventRow, competition: CompetitionRow) {
  return appealWindowOf(competition.appealRule, competition.appealWindowHours, {
    markingClosedAt: markingClosedAt(app, event.id),
    releasedAt: event.releasedAt,
    publicityEndsAt: event.publicityEndsAt,
  });
}

export function presentAppeal(app: FastifyInstance, row: AppealRow) {
  const number = row.entryId ? (app.db.select({ n: entries.drawnNumber }).from(entries).where(eq(entries.id, row.entryId)).get()?.n ?? null) : null;
  return {
    id: row.id,
    eventId: row.eventId,
    number,
    lodgedBy: row.lodgedBy,
    contact: row.contact,
    reason: row.reason,
    lodgedAt: row.lodgedAt.toISOString(),
    status: row.status,
    decidedAt: row.decidedAt?.toISOString() ?? null,
    decidedBy: row.decidedBy,
    decisionNote: row.decisionNote,
  };
}

export function listAppeals(app: FastifyInstance, req: FastifyRequest, eventId: number) {
  authorizeEvent(app, req, eventId, READERS);
  return app.db.select().from(appeals).where(eq(appeals.eventId, eventId)).orderBy(appeals.id).all().map((a) => presentAppeal(app, a));
}

/**
 * Records an appeal lodged in writing. It must arrive within the window the competition's appeal
 * rule gives (by default the publicity period, from release to its end), and never once the
 * results are final.
 */
export function lodgeAppeal(
  app: FastifyInstance,
  req: FastifyRequest,
  eventId: number,
  input: { number?: number; lodgedBy: string; contact?: string; reason: string },
) {
  const { event, competition, actor } = authorizeEvent(app, req, eventId, ARBITERS);
  const now = app.clock.now();
  if (event.finalAt) throw conflict('results_final', 'The results are final; appeals are closed');
  const window = appealWindow(app, event, competition);
  if (!window) {
    if (competition.appealRule === 'hours_after_marking') throw conflict('marking_open', 'Appeals are lodged after marking closes');
    throw conflict('appeal_window_not_open', 'Appeals are lodged once the results are released, during the publicity period');
  }
  if (now > window.closesAt) throw conflict('appeal_window_closed', `Appeals had to be lodged by ${window.closesAt.toISOString()}`);
  let entryId: number | null = null;
  if (input.number != null) {
    const entry = app.db.select({ id: entries.id }).from(entries).where(and(eq(entries.eventId, eventId), eq(entries.drawnNumber, input.number))).get();
    if (!entry) throw invalid('body.number', `no contestant has number ${input.number}`);
    entryId = entry.id;
  }
  const row = app.db.transaction((tx) => {
    const created = tx
      .insert(appeals)
      .values({
        eventId,
        entryId,
        lodgedBy: input.lodgedBy,
        contact: input.contact ?? null,
        reason: input.reason,
        lodgedAt: now,
        recordedBy: actor.kind === 'staff' ? actor.accountId : null,
      })
      .returning()
      .get();
    recordAudit(tx, actor, { action: 'appeal.lodge', entityType: 'appeal', entityId: created.id, orgId: competition.orgId, after: created });
    return created;
  });
  return presentAppeal(app, row);
}

/**
 * The group's ruling, which is final. An upheld appeal may change marks: each becomes a new
 * version citing the appeal, in the same transaction, and the ranking is recomputed.
 */
export function decideAppeal(
  app: FastifyInstance,
  req: FastifyRequest,
  appealId: number,
  input: {
    decision: 'upheld' | 'dismissed';
    note: string;
    corrections: { markId: number; value: number }[];
    objectiveCorrections?: { roundId?: number; number: number; field: string; value: number | null }[];
  },
) {
  const row = app.db.select().from(appeals).where(eq(appeals.id, appealId)).get();
  if (!row) throw notFound('Appeal');
  const { event, competition, actor } = authorizeEvent(app, req, row.eventId, ARBITERS);
  if (row.status !== 'lodged') throw conflict('already_decided', `This appeal was already ${row.status}`);
  if (event.finalAt) throw conflict('results_final', 'The results are final');
  const q = markQueries(app.db);
  const marks = input.corrections.map((c, i) => {
    const mark = q.markById.get(c.markId);
    if (!mark || mark.event_id !== row.eventId) throw invalid(`body.corrections.${i}.markId`, `no mark ${c.markId} in this event`);
    checkValue(schemeForRound(event, q.round.get(mark.round_id)), mark.part_id, mark.criterion_id, c.value, `body.corrections.${i}.value`);
    return { mark, value: c.value };
  });
  const decidedBy = actor.kind === 'staff' ? actor.displayName : actor.name;
  let objectiveChanged = 0;
  const updated = app.db.transaction((tx) => {
    for (const { mark, value } of marks) {
      // Always correct the latest version of the mark's slot.
      const latest = app.db.$client
        .prepare<[number, number, number, string, string], { id: number }>(
          'select id from marks where round_id = ? and entry_id = ? and judge_id = ? and part_id = ? and criterion_id = ? order by version desc limit 1',
        )
        .get(mark.round_id, mark.entry_id, mark.judge_id, mark.part_id, mark.criterion_id)!;
      addMarkVersion(app, actor, q.markById.get(latest.id)!, value, `appeal #${appealId}: ${input.note}`, competition.orgId, 'mark.appeal_decision');
    }
    objectiveChanged = applyAppealObjectiveValues(
      tx,
      actor,
      { eventId: row.eventId, orgId: competition.orgId, scheme: schemeForRound(event, null) },
      input.objectiveCorrections ?? [],
      `appeal #${appealId}: ${input.note}`,
      app.clock.now(),
    );
    const after = tx
      .update(appeals)
      .set({ status: input.decision, decidedAt: app.clock.now(), decidedBy, decisionNote: input.note })
      .where(eq(appeals.id, appealId))
      .returning()
      .get();
    recordAudit(tx, actor, { action: `appeal.${input.decision}`, entityType: 'appeal', entityId: appealId, orgId: competition.orgId, before: row, after: { ...after, corrections: input.corrections, objectiveCorrections: input.objectiveCorrections ?? [] } });
    return after;
  });
  if (objectiveChanged > 0) app.rankings.invalidate(row.eventId);
  else if (marks.length > 0) app.rankings.marksCommitted(row.eventId);
  return presentAppeal(app, updated);
}

export function openAppealCount(app: FastifyInstance, eventId: number): number {
  return app.db.select({ id: appeals.id }).from(appeals).where(and(eq(appeals.eventId, eventId), eq(appeals.status, 'lodged'))).all().length;
}

/** Ends the publicity period: allowed once it has run out and no appeal is waiting. */
export function finaliseResults(app: FastifyInstance, req: FastifyRequest, eventId: number) {
  const { event, competition, actor } = authorizeEvent(app, req, eventId, { staff: ['admin', 'organiser'] });
  const now = app.clock.now();
  if (!event.releasedAt || !event.publicityEndsAt) throw conflict('not_released', 'Results are not released yet');
  if (event.finalAt) return event.finalAt;
  if (now < event.publicityEndsAt) throw conflict('publicity_running', `The publicity period runs until ${event.publicityEndsAt.toISOString()}`);
  const waiting = openAppealCount(app, eventId);
  if (waiting > 0) throw new AppError(409, 'appeals_open', `${waiting} appeal(s) still waiting for a decision`);
  app.db.transaction((tx) => {
    tx.update(events).set({ finalAt: now }).where(eq(events.id, eventId)).run();
    recordAudit(tx, actor, { action: 'event.final', entityType: 'event', entityId: eventId, orgId: competition.orgId, after: { finalAt: now } });
    syncCompetitionStatus(tx, actor, competition.id);
  });
  return now;
}
