import { randomInt } from 'node:crypto';
import { and, eq, isNotNull } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { entries, rechecks, rounds } from '../../../db/schema.ts';
import { conflict, notFound } from '../../errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { authorizeEvent } from '../event-access.ts';

/** Every result in the top 10 is rechecked, and this share of the rest (a provincial technical rule). */
export const RECHECK_TOP = 10;
export const RECHECK_SAMPLE_SHARE = 0.15;

const CHIEF_OR_ORGANISER = { staff: ['admin' as const, 'organiser' as const], judge: ['chief' as const] };
const READERS = { staff: ['admin' as const, 'organiser' as const, 'hr_officer' as const, 'viewer' as const], judge: ['chief' as const, 'supervisor' as const] };

/** The final round's ranking: the results that are released. */
function finalRows(app: FastifyInstance, eventId: number) {
  const last = app.db.select().from(rounds).where(eq(rounds.eventId, eventId)).orderBy(rounds.seq).all().at(-1);
  if (!last) throw notFound('Round');
  return app.rankings.roundRows(eventId, last.id);
}

export function listRechecks(app: FastifyInstance, req: FastifyRequest, eventId: number) {
  authorizeEvent(app, req, eventId, READERS);
  const rows = app.db
    .select({ r: rechecks, number: entries.drawnNumber })
    .from(rechecks)
    .innerJoin(entries, eq(entries.id, rechecks.entryId))
    .where(eq(rechecks.eventId, eventId))
    .all();
  const ranking = new Map(finalRows(app, eventId).map((r) => [r.entryId, r]));
  const items = rows
    .map(({ r, number }) => ({
      id: r.id,
      entryId: r.entryId,
      number,
      rank: ranking.get(r.entryId)?.rank ?? null,
      total: ranking.get(r.entryId)?.total ?? 0,
      selection: r.selection,
      drawnAt: r.drawnAt.toISOString(),
      checkedAt: r.checkedAt?.toISOString() ?? null,
      checkedBy: r.checkedBy,
      note: r.note,
    }))
    .sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || (a.number ?? 0) - (b.number ?? 0));
  return { eventId, drawn: items.length > 0, complete: items.length > 0 && items.every((i) => i.checkedAt), items };
}

/**
 * Draws the results check once marking is closed: the top 10 ranked results and a random 15 %
 * (rounded up) of the other ranked ones, chosen with a cryptographic shuffle and recorded.
 * It can be drawn again only while nothing has been checked yet.
 */
export function drawRechecks(app: FastifyInstance, req: FastifyRequest, eventId: number) {
  const { event, competition, actor } = authorizeEvent(app, req, eventId, CHIEF_OR_ORGANISER);
  if (event.releasedAt) throw conflict('results_released', 'Results are already released');
  const open = app.db.select({ id: rounds.id }).from(rounds).where(and(eq(rounds.eventId, eventId), eq(rounds.status, 'open'))).get();
  if (open) throw conflict('marking_open', 'Close marking before drawing the results check');
  const started = app.db.select({ id: rechecks.id }).from(rechecks).where(and(eq(rechecks.eventId, eventId), isNotNull(rechecks.checkedAt))).get();
  if (started) throw conflict('recheck_started', 'Results are already being checked; the sample cannot be redrawn');

  const ranked = finalRows(app, eventId).filter((r) => r.rank !== null);
  const top = ranked.filter((r) => r.rank! <= RECHECK_TOP);
  const rest = ranked.filter((r) => r.rank! > RECHECK_TOP).map((r) => r.entryId);
  for (let i = rest.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [rest[i], rest[j]] = [rest[j]!, rest[i]!];
  }
  const sample = rest.slice(0, Math.ceil(rest.length * RECHECK_SAMPLE_SHARE));
  const drawnAt = app.clock.now();
  app.db.transaction((tx) => {
    tx.delete(rechecks).where(eq(rechecks.eventId, eventId)).run();
    for (const r of top) tx.insert(rechecks).values({ eventId, entryId: r.entryId, selection: 'top10', drawnAt }).run();
    for (const entryId of sample) tx.insert(rechecks).values({ eventId, entryId, selection: 'sample', drawnAt }).run();
    recordAudit(tx, actor, {
      action: 'recheck.draw',
      entityType: 'event',
      entityId: eventId,
      orgId: competition.orgId,
      after: { top10: top.map((r) => r.entryId), sample, share: RECHECK_SAMPLE_SHARE, of: rest.length },
    });
  });
  return listRechecks(app, req, eventId);
}

/** The chief judge confirms one result as rechecked. */
export function checkResult(app: FastifyInstance, req: FastifyRequest, recheckId: number, note?: string) {
  const row = app.db.select().from(rechecks).where(eq(rechecks.id, recheckId)).get();
  if (!row) throw notFound('Recheck');
  const { event, competition, actor } = authorizeEvent(app, req, row.eventId, { judge: ['chief'] });
  if (event.releasedAt) throw conflict('results_released', 'Results are already released');
  if (row.checkedAt) throw conflict('already_checked', 'This result is already checked');
  app.db.transaction((tx) => {
    tx.update(rechecks)
      .set({ checkedAt: app.clock.now(), checkedBy: actor.kind === 'judge' ? actor.judgeId : null, note: note ?? null })
      .where(eq(rechecks.id, recheckId))
      .run();
    recordAudit(tx, actor, { action: 'recheck.check', entityType: 'recheck', entityId: recheckId, orgId: competition.orgId, after: { entryId: row.entryId, note } });
  });
  return listRechecks(app, req, row.eventId);
}

/** Whether the results check is drawn and complete (release requires it). */
export function recheckComplete(app: FastifyInstance, eventId: number): boolean {
  const rows = app.db.select({ checkedAt: rechecks.checkedAt }).from(rechecks).where(eq(rechecks.eventId, eventId)).all();
  return rows.length > 0 && rows.every((r) => r.checkedAt);
}
