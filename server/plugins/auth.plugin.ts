import cookie from '@fastify/cookie';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError, forbidden, unauthorized } from '../errors.ts';
import { tokenHash } from '../security.ts';
import { LoginThrottle, type ThrottleLimits } from '../features/auth/login-throttle.ts';

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
  /** Until the holder chooses a new password, only the operations in PASSWORD_CHANGE_OPERATIONS answer. */
  mustChangePassword?: boolean;
};
export type PanelRole = 'chief' | 'judge' | 'supervisor' | 'scorer';
/** One event a judge sits on and their role there. */
export type JudgeAssignment = { eventId: number; role: PanelRole };
/**
 * A signed-in judge of a competition. Their role is per event (`assignments`): every event-scoped
 * check asks for the role in the event at hand (judgeRoleIn, authorizeEvent).
 */
export type JudgeActor = {
  kind: 'judge';
  judgeId: number;
  competitionId: number;
  name: string;
  employerId: number | null;
  /** The employer organisation's name, or the employer as written when it is not one (recusal). */
  employerName: string | null;
  assignments: JudgeAssignment[];
  /** Which of the judge's codes opened this session (1 the first, 2 and on reissues): kept with each mark. */
  codeNumber?: number | null;
};
export type Actor = StaffActor | JudgeActor;

export const SESSION_COOKIE = 'sid';

/** What a staff member who must choose a new password may still do: see who they are, change it, leave. */
export const PASSWORD_CHANGE_OPERATIONS: ReadonlySet<string> = new Set(['getSession', 'getMe', 'changePassword', 'logout']);

/** Staff sessions unused for longer than the idle limit end; the last use is written at most this often. */
const LAST_SEEN_RESOLUTION_MS = 60_000;

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    /** Set when the request came with a staff session that had just ended for idleness (its 401 says so). */
    sessionEndedIdle: boolean;
  }
  interface FastifyInstance {
    sessionSecret: string;
    sessionTtlMs: number;
    /** Failed sign-ins in memory (sign-in counts on it; an administrator's password reset clears an account's record). */
    signInThrottle: LoginThrottle;
  }
}

/** Resolves the session cookie into `request.actor` (or null) on every request. */
export default fp(
  async (app, opts: { secret: string; ttlMs: number; idleMs: number; loginLimits: ThrottleLimits }) => {
    await app.register(cookie);
    app.decorate('sessionSecret', opts.secret);
    app.decorate('sessionTtlMs', opts.ttlMs);
    app.decorate('signInThrottle', new LoginThrottle(app.clock, opts.loginLimits));
    app.decorateRequest('actor', null);
    app.decorateRequest('sessionEndedIdle', false);

    // One prepared statement: this runs on every request, including every mark submission.
    const lookup = app.db.$client.prepare<[string], Record<string, unknown>>(`
      select s.expires_at, s.account_id, s.judge_id, s.created_at, s.last_seen_at, s.judge_code_number,
             a.username, a.display_name, a.role, a.org_id, a.active, a.must_change_password, o.path as org_path,
             j.competition_id, j.name as judge_name, j.employer_id,
             coalesce(jo.name, j.employer_name) as judge_employer_name
      from sessions s
      left join accounts a on a.id = s.account_id
      left join organisations o on o.id = a.org_id
      left join judges j on j.id = s.judge_id
      left join organisations jo on jo.id = j.employer_id
      where s.token_hash = ?`);
    const removeSession = app.db.$client.prepare<[string]>('delete from sessions where token_hash = ?');
    const touchSession = app.db.$client.prepare<[number, string]>('update sessions set last_seen_at = ? where token_hash = ?');
    const removeExpired = app.db.$client.prepare<[number]>('delete from sessions where expires_at < ?');
    // Expired sessions are deleted, not just ignored: at start, every hour, and when one is presented.
    const sweep = () => removeExpired.run(app.clock.now().getTime());
    app.addHook('onReady', async () => {
      sweep();
    });
    const timer = setInterval(sweep, 3600_000);
    timer.unref();
    app.addHook('onClose', async () => clearInterval(timer));
    const assignmentsOf = app.db.$client.prepare<[number], { event_id: number; role: PanelRole }>(
      `select event_id, role from judge_assignments where judge_id = ? order by event_id`,
    );

    app.addHook('onRequest', async (req) => {
      // Only the API acts on who is signed in. Loading the page itself (index.html, scripts) must not
      // count as use of a session, nor end an idle one before the app can ask and say why.
      if (!req.url.startsWith('/api/')) return;
      const token = req.cookies[SESSION_COOKIE];
      if (!token) return;
      const hash = tokenHash(opts.secret, token);
      const row = lookup.get(hash);
      if (!row) return;
      const now = app.clock.now().getTime();
      if ((row.expires_at as number) < now) {
        removeSession.run(hash);
        return;
      }
      if (row.account_id != null && row.active) {
        // 等保 asks that an unattended staff session end. Judges are exempt: a tablet at the venue may
        // wait an hour between contestants, and its code expires with the competition anyway.
        const lastSeen = (row.last_seen_at as number | null) ?? (row.created_at as number);
        if (now - lastSeen > opts.idleMs) {
          removeSession.run(hash);
          req.sessionEndedIdle = true;
          return;
        }
        if (now - lastSeen > LAST_SEEN_RESOLUTION_MS) touchSession.run(now, hash);
        req.actor = {
          kind: 'staff',
          accountId: row.account_id as number,
          username: row.username as string,
          displayName: row.display_name as string,
          role: row.role as StaffRole,
          orgId: row.org_id as number,
          orgPath: row.org_path as string,
          mustChangePassword: Boolean(row.must_change_password),
        };
      } else if (row.judge_id != null && row.competition_id != null) {
        req.actor = {
          kind: 'judge',
          judgeId: row.judge_id as number,
          competitionId: row.competition_id as number,
          name: row.judge_name as string,
          employerId: (row.employer_id as number | null) ?? null,
          employerName: (row.judge_employer_name as string | null) ?? null,
          assignments: assignmentsOf.all(row.judge_id as number).map((a) => ({ eventId: a.event_id, role: a.role })),
          codeNumber: (row.judge_code_number as number | null) ?? null,
        };
      }
    });

    // Runs after the session is known and before validation: a password that must be replaced
    // opens nothing else, so an administrator's temporary password is good for one thing only.
    app.addHook('onRequest', async (req) => {
      if (req.actor?.kind !== 'staff' || !req.actor.mustChangePassword) return;
      const operationId = (req.routeOptions.schema as { operationId?: string } | undefined)?.operationId;
      if (operationId && PASSWORD_CHANGE_OPERATIONS.has(operationId)) return;
      throw new AppError(403, 'password_change_required', 'Choose a new password first (POST /api/auth/password)');
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

/** The signed-in judge, holding one of `roles` in at least one event (any role when none is given). */
export function requireJudge(req: FastifyRequest, ...roles: PanelRole[]): JudgeActor {
  const actor = req.actor;
  if (!actor) throw unauthorized('Sign in with your judge code first');
  if (actor.kind !== 'judge') throw forbidden('This needs a judge sign-in');
  if (roles.length > 0 && !actor.assignments.some((a) => roles.includes(a.role)))
    throw forbidden(`This needs one of the panel roles: ${roles.join(', ')}`);
  return actor;
}

/** The judge's role in an event, or null when they do not sit on it. */
export function judgeRoleIn(actor: Actor | null, eventId: number): PanelRole | null {
  if (actor?.kind !== 'judge') return null;
  return actor.assignments.find((a) => a.eventId === eventId)?.role ?? null;
}

/**
 * The event a judge's request is about: `eventId` when given (they must hold one of `roles`
 * there), else the only event where they hold one of `roles`. Several such events and no
 * `eventId` is a 400 naming `field`: the tablet must say which panel it means.
 */
export function judgeEvent(actor: JudgeActor, roles: readonly PanelRole[], eventId: number | undefined, field: string): number {
  if (eventId != null) {
    const role = judgeRoleIn(actor, eventId);
    if (!role) throw forbidden('You are not on the panel of this event');
    if (!roles.includes(role)) throw forbidden(`This needs one of the panel roles: ${roles.join(', ')}`);
    return eventId;
  }
  const matching = actor.assignments.filter((a) => roles.includes(a.role));
  if (matching.length === 0) throw forbidden(`This needs one of the panel roles: ${roles.join(', ')}`);
  if (matching.length > 1) throw new AppError(400, 'event_required', 'You sit on several events: say which one', [{ field, message: 'which event' }]);
  return matching[0]!.eventId;
}

/** Whether a record kept by the organisation at `recordOrgPath` lies in the staff member's subtree. */
export function inScope(actor: StaffActor, recordOrgPath: string): boolean {
  return recordOrgPath.startsWith(actor.orgPath);
}

export function assertInScope(actor: StaffActor, recordOrgPath: string): void {
  if (!inScope(actor, recordOrgPath)) throw forbidden('This record belongs to an organisation outside your scope');
}
