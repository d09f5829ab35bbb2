import cookie from '@fastify/cookie';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { forbidden, unauthorized } from '../errors.ts';
import { tokenHash } from '../security.ts';

export type StaffRole = 'admin' | 'organiser' | 'hr_officer' | 'studio_officer' | 'viewer';

export type StaffActor = {
  kind: 'staff';
  accountId: number;
  username: string;
  displayName: string;
  role: StaffRole;
  orgId: number;
  /** Materialised path of the account's organisation: its scope is every path under it. */
  orgPath: string;
};
export type JudgeActor = {
  kind: 'judge';
  judgeId: number;
  eventId: number;
  name: string;
  role: 'chief' | 'judge' | 'supervisor' | 'scorer';
  employerId: number | null;
};
export type Actor = StaffActor | JudgeActor;

export const SESSION_COOKIE = 'sid';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
  interface FastifyInstance {
    sessionSecret: string;
    sessionTtlMs: number;
  }
}

/** Resolves the session cookie into `request.actor` (or null) on every request. */
export default fp(
  async (app, opts: { secret: string; ttlMs: number }) => {
    await app.register(cookie);
    app.decorate('sessionSecret', opts.secret);
    app.decorate('sessionTtlMs', opts.ttlMs);
    app.decorateRequest('actor', null);

    // One prepared statement: this runs on every request, including every mark submission.
    const lookup = app.db.$client.prepare<[string], Record<string, unknown>>(`
      select s.expires_at, s.account_id, s.judge_id,
             a.username, a.display_name, a.role, a.org_id, a.active, o.path as org_path,
             j.event_id, j.name as judge_name, j.role as judge_role, j.employer_id
      from sessions s
      left join accounts a on a.id = s.account_id
      left join organisations o on o.id = a.org_id
      left join judges j on j.id = s.judge_id
      where s.token_hash = ?`);

    app.addHook('onRequest', async (req) => {
      const token = req.cookies[SESSION_COOKIE];
      if (!token) return;
      const row = lookup.get(tokenHash(opts.secret, token));
      if (!row || (row.expires_at as number) < app.clock.now().getTime()) return;
      if (row.account_id != null && row.active) {
        req.actor = {
          kind: 'staff',
          accountId: row.account_id as number,
          username: row.username as string,
          displayName: row.display_name as string,
          role: row.role as StaffRole,
          orgId: row.org_id as number,
          orgPath: row.org_path as string,
        };
      } else if (row.judge_id != null && row.event_id != null) {
        req.actor = {
          kind: 'judge',
          judgeId: row.judge_id as number,
          eventId: row.event_id as number,
          name: row.judge_name as string,
          role: row.judge_role as JudgeActor['role'],
          employerId: (row.employer_id as number | null) ?? null,
        };
      }
    });
  },
  { name: 'auth', dependencies: ['db', 'clock'] },
);

/** The signed-in staff member with one of `roles` (any role when none is given). */
export function requireStaff(req: FastifyRequest, ...roles: StaffRole[]): StaffActor {
  const actor = req.actor;
  if (!actor) throw unauthorized();
  if (actor.kind !== 'staff') throw forbidden('This needs a staff account');
  if (roles.length > 0 && !roles.includes(actor.role)) throw forbidden(`This needs one of the roles: ${roles.join(', ')}`);
  return actor;
}

export function requireJudge(req: FastifyRequest, ...roles: JudgeActor['role'][]): JudgeActor {
  const actor = req.actor;
  if (!actor) throw unauthorized('Sign in with your judge code first');
  if (actor.kind !== 'judge') throw forbidden('This needs a judge sign-in');
  if (roles.length > 0 && !roles.includes(actor.role)) throw forbidden(`This needs one of the panel roles: ${roles.join(', ')}`);
  return actor;
}

/** Whether a record kept by the organisation at `recordOrgPath` lies in the staff member's subtree. */
export function inScope(actor: StaffActor, recordOrgPath: string): boolean {
  return recordOrgPath.startsWith(actor.orgPath);
}

export function assertInScope(actor: StaffActor, recordOrgPath: string): void {
  if (!inScope(actor, recordOrgPath)) throw forbidden('This record belongs to an organisation outside your scope');
}
