import type { onRequestAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { accessEntry, admitsAnyJudge, isPanelRole, ruleOf, type AccessRule } from '../access-policy.ts';
import { AppError, forbidden, unauthorized } from '../errors.ts';
import type { Actor } from './auth.plugin.ts';

/** Whether the rule's callers include this actor (a judge by any panel role they hold, in any event). */
export function admits(rule: AccessRule, actor: Actor): boolean {
  if (actor.kind === 'staff') return rule.callers.includes(actor.role);
  return admitsAnyJudge(rule.callers) || actor.assignments.some((a) => rule.callers.includes(a.role));
}

/** The refusal for a caller the rule does not list, worded like requireStaff/requireJudge, or as the handler words it. */
function refusal(rule: AccessRule, actor: Actor | null): AppError {
  const staff = rule.callers.filter((c) => !isPanelRole(c));
  const panel = rule.callers.filter(isPanelRole);
  if (!actor) return staff.length === 0 ? unauthorized('Sign in with your judge code first') : unauthorized();
  if (actor.kind === 'staff') return staff.length === 0 ? forbidden('This needs a judge sign-in') : forbidden(`This needs one of the roles: ${staff.join(', ')}`);
  const own = actor.assignments.map((a) => rule.judgeRefusals?.[a.role]).find((r) => r !== undefined);
  if (own) return new AppError(403, own.code, own.message);
  return panel.length === 0 ? forbidden('This needs a staff account') : forbidden(`This needs one of the panel roles: ${panel.join(', ')}`);
}

/**
 * Enforces server/access-policy.ts on every /api route: a request from a caller the operation's
 * entry does not list is refused (401 signed out, 403 signed in) before its body is parsed or
 * validated, so a refused caller learns nothing from validation errors. Handlers still check scope
 * and the caller's role in the event at hand. A route without an entry stops the app at startup.
 * Routes hidden from the docs (/health, the web app's files) and routes outside /api are not gated.
 */
export default fp(
  async (app) => {
    app.addHook('onRoute', (route) => {
      const schema = route.schema as { operationId?: string; hide?: boolean } | undefined;
      if (!route.url.startsWith('/api/') || schema?.hide) return;
      const where = `${String(route.method)} ${route.url}`;
      const operationId = schema?.operationId;
      if (!operationId) throw new Error(`${where} has no schema.operationId: every /api route needs one, and an entry in server/access-policy.ts`);
      const entry = accessEntry(operationId);
      if (!entry) throw new Error(`${operationId} (${where}) has no entry in server/access-policy.ts: add one saying who may call it`);
      if (entry === 'public') return;
      const rule = ruleOf(entry);
      const gate: onRequestAsyncHookHandler = async (req) => {
        if (!req.actor || !admits(rule, req.actor)) throw refusal(rule, req.actor);
      };
      // First among the route's own hooks: an upload route's early check must not answer before it.
      const own = route.onRequest ? (Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest]) : [];
      route.onRequest = [gate, ...own];
    });
  },
  { name: 'access', dependencies: ['auth'] },
);
