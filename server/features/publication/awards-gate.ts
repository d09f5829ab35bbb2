import { eq } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { accounts, events } from '../../../db/schema.ts';
import { AppError, conflict } from '../../errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { authorizeEvent } from '../event-access.ts';
import { openAppealCount } from './appeals.service.ts';

type EventRow = typeof events.$inferSelect;

/**
 * Prizes and titles are awarded only once the results stand: after the publicity period (公示期)
 * with no appeal waiting for a decision. An organiser may award earlier with a recorded reason
 * (e.g. a ceremony that cannot wait), kept on the event and in the audit log.
 */
export type AwardsGate = {
  allowed: boolean;
  /** Why not yet: the first thing still in the way. */
  blockedBy: 'not_released' | 'publicity_running' | 'appeals_open' | null;
  openAppeals: number;
  override: { reason: string; at: string; by: string } | null;
};

export function awardsGate(app: FastifyInstance, event: EventRow, now: Date): AwardsGate {
  const openAppeals = openAppealCount(app, event.id);
  const override = event.awardsOverrideAt
    ? {
        reason: event.awardsOverrideReason ?? '',
        at: event.awardsOverrideAt.toISOString(),
        by: event.awardsOverrideBy ? (app.db.select({ n: accounts.displayName }).from(accounts).where(eq(accounts.id, event.awardsOverrideBy)).get()?.n ?? '') : '',
      }
    : null;
  const blockedBy = !event.releasedAt
    ? 'not_released'
    : event.finalAt || override
      ? null
      : event.publicityEndsAt && now < event.publicityEndsAt
        ? 'publicity_running'
        : openAppeals > 0
          ? 'appeals_open'
          : null;
  return { allowed: blockedBy === null, blockedBy, openAppeals, override };
}

/** 409 with the reason when prizes or titles may not be awarded yet. */
export function assertAwardsAllowed(app: FastifyInstance, event: EventRow, now: Date): void {
  const gate = awardsGate(app, event, now);
  if (gate.blockedBy === 'not_released') throw conflict('not_released', 'Prizes and titles are awarded on released results');
  if (gate.blockedBy === 'publicity_running')
    throw conflict('publicity_running', `Prizes and titles are awarded after the publicity period, which runs until ${event.publicityEndsAt!.toISOString()}; an organiser may override with a reason`);
  if (gate.blockedBy === 'appeals_open')
    throw new AppError(409, 'appeals_open', `${gate.openAppeals} appeal(s) still waiting for a decision; an organiser may override with a reason`);
}

/** An organiser records why prizes and titles are awarded before the results stand. Audited. */
export function overrideAwardsGate(app: FastifyInstance, req: FastifyRequest, eventId: number, reason: string) {
  const { event, competition, actor } = authorizeEvent(app, req, eventId, { staff: ['admin', 'organiser'] });
  if (actor.kind !== 'staff') throw conflict('not_staff', 'Only staff may override');
  if (!event.releasedAt) throw conflict('not_released', 'Prizes and titles are awarded on released results');
  const now = app.clock.now();
  const updated = app.db.transaction(
    (tx) => {
      const row = tx
        .update(events)
        .set({ awardsOverrideReason: reason, awardsOverrideAt: now, awardsOverrideBy: actor.accountId })
        .where(eq(events.id, eventId))
        .returning()
        .get();
      recordAudit(tx, actor, {
        action: 'event.awards_override',
        entityType: 'event',
        entityId: eventId,
        orgId: competition.orgId,
        before: { publicityEndsAt: event.publicityEndsAt, openAppeals: openAppealCount(app, eventId), reason: event.awardsOverrideReason },
        after: { reason },
      });
      return row;
    },
    { behavior: 'immediate' },
  );
  return awardsGate(app, updated, now);
}
