import { and, eq } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { entries, events, incompleteReasons, marks, rechecks, roundEntries, rounds } from '../../../db/schema.ts';
import type { ReleaseInput } from '../../contracts/marks.ts';
import { selectAdvancers } from '../../domain/index.ts';
import { publicityEnd } from '../../domain/working-days.ts';
import { AppError, conflict, invalid, notFound } from '../../errors.ts';
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

/**
 * Closes marking for a round (the lock): judges can no longer submit; corrections still go through
 * the chief judge. Reopening discards the event's results check (复核): marks may change, so the
 * check confirmed on the old results no longer stands and is drawn again once marking closes.
 */
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
    const discardedChecks = status === 'open' ? tx.delete(rechecks).where(eq(rechecks.eventId, round.eventId)).run().changes : 0;
    recordAudit(tx, actor, {
      action: status === 'closed' ? 'round.close' : 'round.reopen',
      entityType: 'round',
      entityId: roundId,
      orgId: competition.orgId,
      before: { status: round.status },
      after: { status, ...(discardedChecks ? { resultsCheckDiscarded: discardedChecks } : {}) },
    });
    // Closing the last open round closes marking for the competition; reopening one reverses it.
    syncCompetitionStatus(tx, actor, competition.id);
    return after;
  });
  app.rankings.invalidate(round.eventId);
  return updated;
}

/** An entry ranked with marks missing, and what is missing. */
export type IncompleteEntry = { entryId: number; number: number | null; missing: { partId: string; marksIn: number; expected: number }[] };

/** Entries ranked while incomplete (暂定) in any round of the event, with the parts short of marks. */
export function incompleteEntries(app: FastifyInstance, eventId: number): IncompleteEntry[] {
  const roundRows = app.db.select({ id: rounds.id }).from(rounds).where(eq(rounds.eventId, eventId)).all();
  const numbers = new Map(
    app.db
      .select({ id: entries.id, number: entries.drawnNumber })
      .from(entries)
      .where(eq(entries.eventId, eventId))
      .all()
      .map((e) => [e.id, e.number]),
  );
  const out = new Map<number, IncompleteEntry>();
  for (const r of roundRows)
    for (const row of app.rankings.roundRows(eventId, r.id)) {
      if (!row.provisional) continue;
      const item = out.get(row.entryId) ?? { entryId: row.entryId, number: numbers.get(row.entryId) ?? null, missing: [] };
      for (const p of row.score.parts) if (!p.complete) item.missing.push({ partId: p.partId, marksIn: p.marksIn, expected: p.expected });
      out.set(row.entryId, item);
    }
  return [...out.values()].sort((a, b) => (a.number ?? 0) - (b.number ?? 0));
}

/**
 * Releases an event's results: every round closed, the results check complete, and every entry
 * complete (all the marks its panels expect, judges recused from it taken off) or given a reason
 * by the chief judge; the reasons are kept and shown with the entries on the published results.
 * Names become visible, marks read-only (except by appeal decisions), and the publicity period
 * starts.
 */
export function releaseResults(app: FastifyInstance, req: FastifyRequest, eventId: number, input: ReleaseInput = { incompleteReasons: [] }) {
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

  const incomplete = incompleteEntries(app, eventId);
  const byNumber = new Map(incomplete.filter((e) => e.number != null).map((e) => [e.number!, e]));
  const numbered = new Set(
    app.db
      .select({ number: entries.drawnNumber })
      .from(entries)
      .where(eq(entries.eventId, eventId))
      .all()
      .map((e) => e.number),
  );
  const given = new Map<number, string>();
  input.incompleteReasons.forEach((r, i) => {
    if (!numbered.has(r.number)) throw invalid(`body.incompleteReasons.${i}.number`, `no contestant has number ${r.number}`, 'unknown_number');
    if (!byNumber.has(r.number))
      throw invalid(`body.incompleteReasons.${i}.number`, `contestant ${r.number} has every expected mark: no reason is needed`, 'entry_complete');
    if (given.has(r.number)) throw invalid(`body.incompleteReasons.${i}.number`, `contestant ${r.number} is listed twice`);
    given.set(r.number, r.reason);
  });
  const scheme = event.scheme as { parts: { id: string; name: string }[] };
  const partName = (id: string) => scheme.parts.find((p) => p.id === id)?.name ?? id;
  const unexplained = incomplete.filter((e) => e.number == null || !given.has(e.number));
  if (unexplained.length > 0)
    throw new AppError(
      409,
      'entries_incomplete',
      `Marks are missing for ${unexplained.map((e) => (e.number != null ? `No. ${e.number}` : `entry ${e.entryId}`)).join(', ')}: complete them or give a reason for each`,
      unexplained.map((e) => ({
        field: 'body.incompleteReasons',
        message: `${e.number ?? `entry ${e.entryId}`}: ${e.missing.map((m) => `${partName(m.partId)} ${m.marksIn}/${m.expected}`).join(', ')}`,
      })),
    );

  const releasedAt = app.clock.now();
  // Working days on the holiday calendar with its make-up days (调休), kept by administrators.
  const publicityEndsAt = publicityEnd(releasedAt, competition.publicityDays, workingCalendar(app.db));
  app.db.transaction((tx) => {
    tx.update(events).set({ releasedAt, publicityEndsAt }).where(eq(events.id, eventId)).run();
    for (const e of incomplete) {
      const reason = given.get(e.number!)!;
      tx.insert(incompleteReasons).values({ eventId, entryId: e.entryId, reason, recordedAt: releasedAt }).run();
    }
    recordAudit(tx, actor, {
      action: 'event.release',
      entityType: 'event',
      entityId: eventId,
      orgId: competition.orgId,
      after: { releasedAt, publicityEndsAt, incompleteReasons: incomplete.map((e) => ({ number: e.number, missing: e.missing, reason: given.get(e.number!) })) },
    });
    syncCompetitionStatus(tx, actor, competition.id);
  });
  app.rankings.invalidate(eventId);
  return {
    eventId,
    releasedAt: releasedAt.toISOString(),
    publicityEndsAt: publicityEndsAt.toISOString(),
    incompleteReasons: incomplete.map((e) => ({ number: e.number!, reason: given.get(e.number!)! })),
  };
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
