import { randomInt } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import { entries } from '../../../db/schema.ts';
import type { DrawResult } from '../../contracts/entries.ts';
import { conflict, forbidden } from '../../errors.ts';
import type { StaffActor } from '../../plugins/auth.plugin.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { ACTIVE_STATUSES, eventHasMarks, getEventInScope, type RankingDeps } from '../events/events.service.ts';
import { holdsDuty } from '../scope.ts';

/** Entries that draw a number: those taking part and the reserves (替补), who may be put into a later round. */
const DRAWN_STATUSES: readonly string[] = [...ACTIVE_STATUSES, 'reserve'];

/** Recorded with every draw so the order can be explained to an appeal. */
export const DRAW_METHOD = 'node:crypto randomInt Fisher-Yates shuffle';

/**
 * A uniformly random permutation from the operating system's CSPRNG: nobody, the organiser
 * included, can predict or steer who gets which number. Returns a new array.
 */
export function cryptoShuffle<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * Draws lots (抽签): every entry still taking part gets a distinct number from `startAt` on, in a
 * random order (reserves included); absent, disqualified and withdrawn entries get none. Allowed again until the first mark,
 * because after that judges know entrants by these numbers. The audit row keeps both mappings.
 * Drawn by an organiser or administrator, or the competition's encryption officer (加密裁判), who
 * keeps the number ↔ person sheet under the provincial rules.
 */
export function drawLots(deps: RankingDeps, actor: StaffActor, eventId: number, input: { startAt: number }): DrawResult {
  const { db } = deps;
  const { competition } = getEventInScope(db, actor, eventId);
  if (actor.role !== 'admin' && actor.role !== 'organiser' && !holdsDuty(db, actor.accountId, competition.id, 'encryption_officer'))
    throw forbidden('Lots are drawn by organisers or the competition’s encryption officer');
  const result = db.transaction(
    (tx) => {
      if (eventHasMarks(tx, eventId)) throw conflict('marks_exist', 'Lots cannot be drawn again once marks have been entered');
      const all = tx
        .select({ id: entries.id, status: entries.status, drawnNumber: entries.drawnNumber })
        .from(entries)
        .where(eq(entries.eventId, eventId))
        .orderBy(asc(entries.id))
        .all();
      const active = DRAWN_STATUSES;
      const eligible = all.filter((e) => active.includes(e.status));
      const order = cryptoShuffle(eligible.map((e) => e.id));

      // Clear first: numbers are unique per event, so reassigning in place would collide.
      tx.update(entries).set({ drawnNumber: null }).where(eq(entries.eventId, eventId)).run();
      const byEntry: Record<string, number> = {};
      const byNumber: Record<string, number> = {};
      order.forEach((entryId, i) => {
        const n = input.startAt + i;
        tx.update(entries).set({ drawnNumber: n }).where(eq(entries.id, entryId)).run();
        byEntry[entryId] = n;
        byNumber[n] = entryId;
      });

      const previous = Object.fromEntries(all.filter((e) => e.drawnNumber !== null).map((e) => [e.id, e.drawnNumber]));
      const redraw = Object.keys(previous).length > 0;
      recordAudit(tx, actor, {
        action: redraw ? 'event.redraw' : 'event.draw',
        entityType: 'event',
        entityId: eventId,
        orgId: competition.orgId,
        before: redraw ? { mapping: previous } : null,
        after: { method: DRAW_METHOD, startAt: input.startAt, mapping: byEntry },
      });
      return {
        eventId,
        method: DRAW_METHOD,
        startAt: input.startAt,
        mapping: byNumber,
        unnumbered: all.filter((e) => !active.includes(e.status)).map((e) => e.id),
      };
    },
    { behavior: 'immediate' },
  );
  deps.rankings.invalidate(eventId);
  return result;
}
