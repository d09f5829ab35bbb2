import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { competitions, events } from '../../db/schema.ts';
import { forbidden, unauthorized } from '../errors.ts';
import { judgeRoleIn, type Actor, type PanelRole, type StaffRole } from '../plugins/auth.plugin.ts';
import { getEventContext } from './events/events.service.ts';
import { competitionInScope } from './scope.ts';

export type EventAccess = {
  event: typeof events.$inferSelect;
  competition: typeof competitions.$inferSelect;
  orgPath: string;
  actor: Actor;
};

/**
 * Who may act on an event: staff with one of `staff` roles for whom the competition is in scope
 * (owned in their subtree, co-organised by their body, or theirs by duty: server/features/scope.ts),
 * or a judge sitting on this very event with one of `judge` panel roles there.
 */
export function authorizeEvent(
  app: FastifyInstance,
  req: FastifyRequest,
  eventId: number,
  allowed: { staff?: StaffRole[]; judge?: PanelRole[] },
): EventAccess {
  const actor = req.actor;
  if (!actor) throw unauthorized();
  const row = getEventContext(app.db, eventId);
  if (actor.kind === 'staff') {
    if (!allowed.staff?.includes(actor.role)) throw forbidden(`This needs one of the roles: ${(allowed.staff ?? []).join(', ') || 'a judge'}`);
    if (!competitionInScope(app.db, actor, row.competition.id, row.orgPath)) throw forbidden('This event belongs to an organisation outside your scope');
  } else {
    const role = judgeRoleIn(actor, eventId);
    if (!role) throw forbidden('You are on the panel of another event');
    if (!allowed.judge?.includes(role)) throw forbidden(`This needs one of the panel roles: ${(allowed.judge ?? []).join(', ') || 'staff'}`);
  }
  return { ...row, actor };
}
