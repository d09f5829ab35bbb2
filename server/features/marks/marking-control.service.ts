import { and, eq } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { entries, events, marks, roundEntries, rounds } from '../../../db/schema.ts';
import { selectAdvancers } from '../../domain/index.ts';
import { publicityEnd } from '../../domain/working-days.ts';
import { conflict, notFound } from '../../errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { syncCompetitionStatus } from '../competitions/competition-status.ts';
import { workingCalendar } from '../calendar/calendar.service.ts';
import { authorizeEvent } from '../event-access.ts';
import { recheckComplete } from '../publication/rechecks.service.ts';

const CONTROLLERS = { staff: ['admin' as const, 'organiser' as const], judge: ['chief' as const] };

function roundOf(app: FastifyInstance, roundId: number) {
  const round = app.db.select().from(rounds).where(eq(rounds.id, roundId)).get();
  if (!round) throw notFound('Round');
  return round;
}

/** Closes marking for a round (the lock): judges can no longer submit; corrections still go through the chief judge. */
export function setRoundStatus(app: FastifyInstance, req: FastifyRequest, roundId: number, status: 'open' | 'closed') {
  const round = roundOf(app, roundId);
  const { event, competition, actor } = authorizeEvent(app, req, round.eventId, CONTROLLERS);
  if (event.releasedAt) throw conflict('results_released', 'Results are released; the rounds stay closed');
  if (round.status === status) return round;
  const updated = app.db.transaction((tx) => {
    const after = tx
      .update(rounds)
      .set({ status, closedAt: status === 'closed' ? app.clock.now() : null })
      .where(eq(rounds.id, roundId))
      .returning()
      .get();
    recordAudit(tx, actor, {
      action: status === 'closed' ? 'round.close' : 'round.reopen',
      entityType: 'round',
      entityId: roundId,
      orgId: competition.orgId,
      before: { status: round.status },
      after: { status },
    });
    // Closing the last open round closes marking for the competition; reopening one reverses it.
    syncCompetitionStatus(tx, actor, competition.id);
    return after;
  });
  app.rankings.invalidate(round.eventId);
  return updated;
}

/**
 * Releases an event's results: every round closed and the results check complete; names become
 * visible, marks read-only (except by appeal decisions), and the publicity period starts.
 */
export function releaseResults(app: FastifyInstance, req: FastifyRequest, eventId: number) {
  const { event, competition, actor } = authorizeEvent(app, req, eventId, CONTROLLERS);
  if (event.releasedAt) throw conflict('results_released', 'Results are already released');
  const open = app.db
    .select({ id: rounds.id, name: rounds.name })
    .from(rounds)
    .where(and(eq(rounds.eventId, eventId), eq(rounds.status, 'open')))
    .all();
  if (open.length > 0) throw conflict('marking_open', `Close marking first: ${open.map((r) => r.name).join(', ')}`);
  if (!recheckComplete(app, eventId))
    throw conflict('recheck_incomplete', 'Draw the results check and confirm every top-10 and sampled result first');
  const releasedAt = app.clock.now();
  // Working days on the holiday calendar with its make-up days (调休), kept by administrators.
  const publicityEndsAt = publicityEnd(releasedAt, competition.publicityDays, workingCalendar(app.db));
  app.db.transaction((tx) => {
    tx.update(events).set({ releasedAt, publicityEndsAt }).where(eq(events.id, eventId)).run();
    recordAudit(tx, actor, { action: 'event.release', entityType: 'event', entityId: eventId, orgId: competition.orgId, after: { releasedAt, publicityEndsAt } });
    syncCompetitionStatus(tx, actor, competition.id);
  });
  app.rankings.invalidate(eventId);
  return { eventId, releasedAt: releasedAt.toISOString(), publicityEndsAt: publicityEndsAt.toISOString() };
}

/** Puts the entries that qualify from a closed round into the next round, by the round's advancement rule. */
export function advanceRound(app: FastifyInstance, req: FastifyRequest, roundId: number) {
  const round = roundOf(app, roundId);
  const { competition, actor } = authorizeEvent(app, req, round.eventId, CONTROLLERS);
  if (round.status !== 'closed') throw conflict('marking_open', 'Close marking for this round before advancing');
  if (!round.advancement) throw conflict('no_advancement_rule', 'This round has no advancement rule');
  const next = app.db
    .select()
    .from(rounds)
    .where(and(eq(rounds.eventId, round.eventId), eq(rounds.seq, round.seq + 1)))
    .get();
  if (!next) throw conflict('no_next_round', 'There is no next round to advance to');
  if (app.db.select({ id: marks.id }).from(marks).where(eq(marks.roundId, next.id)).limit(1).get())
    throw conflict('marks_exist', 'The next round already has marks');
  const rows = app.rankings.roundRows(round.eventId, roundId);
  const result = selectAdvancers(rows, round.advancement);
  app.db.transaction((tx) => {
    tx.delete(roundEntries).where(eq(roundEntries.roundId, next.id)).run();
    for (const entryId of result.entryIds) tx.insert(roundEntries).values({ roundId: next.id, entryId }).run();
    recordAudit(tx, actor, {
      action: 'round.advance',
      entityType: 'round',
      entityId: roundId,
      orgId: competition.orgId,
      after: { toRound: next.id, rule: round.advancement, entryIds: result.entryIds, tiedAtCut: result.tiedAtCut },
    });
  });
  app.rankings.invalidate(round.eventId);
  const rankOf = new Map(result.rows.map((r) => [r.entryId, r.rank]));
  const numbers = new Map(
    app.db
      .select({ id: entries.id, number: entries.drawnNumber })
      .from(entries)
      .where(eq(entries.eventId, round.eventId))
      .all()
      .map((e) => [e.id, e.number]),
  );
  return {
    fromRoundId: roundId,
    toRoundId: next.id,
    advanced: result.entryIds.map((entryId) => ({ entryId, number: numbers.get(entryId) ?? null, rank: rankOf.get(entryId) ?? null })),
    cutRank: result.rows.length ? (result.rows[result.rows.length - 1]!.rank ?? null) : null,
  };
}
