import { z } from 'zod';
import { and, eq, gt, ne, sql } from 'drizzle-orm';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { accounts, judges, sessions } from '../../../db/schema.ts';
import { changePasswordBody, judgeLoginBody, loginBody, meSchema } from '../../contracts/auth.ts';
import { commonErrors, okSchema, problemSchema } from '../../contracts/common.ts';
import { AppError, invalid, unauthorized } from '../../errors.ts';
import { PASSWORD_PROBLEM_TEXT, passwordProblem } from '../../domain/password-policy.ts';
import { requireStaff, SESSION_COOKIE, type Actor, type StaffActor } from '../../plugins/auth.plugin.ts';
import { hashPassword, newToken, tokenHash, verifyPassword } from '../../security.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { addressBucket, codeBucket, RetryLaterError } from './login-throttle.ts';
import { eventsOfJudges } from '../judges/judges.service.ts';

const tags = ['auth'];
// Compared against when the username is unknown, so both failures take the same time.
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

const SIGN_IN_LIMITED =
  'Failed sign-ins are limited per account (or judge-code prefix) and per address, with growing delays; ' +
  'successful ones never are. A limited attempt is answered 429 `too_many_sign_in_failures` with Retry-After ' +
  'and `params.retryAfterSeconds`, whether or not the credentials were right. A staff account is also locked ' +
  'after ACCOUNT_LOCK_FAILURES wrong passwords in a row (default 5) for ACCOUNT_LOCK_MINUTES (default 10): ' +
  '429 `account_locked`, lifted early by an administrator\'s password reset.';

/**
 * The account lock-out 等保 level 2 asks for: `failures` wrong passwords in a row lock the account
 * for `ms`, wherever they come from. Unlike the throttle's in-memory back-off it is stored with the
 * account, so a restart does not lift it, and an administrator can see and end it (a reset).
 */
export type AccountLock = { failures: number; ms: number };

const authRoutes: FastifyPluginAsyncZod<{ accountLock: AccountLock; publicUrl: string | null }> = async (app, opts) => {
  const throttle = app.signInThrottle;

  function startSession(reply: FastifyReply, owner: { accountId?: number; judgeId?: number; judgeCodeNumber?: number }, expiresAt: Date) {
    const token = newToken();
    // lastSeenAt from the app's clock (not the column default): the idle limit counts from here.
    app.db.insert(sessions).values({ tokenHash: tokenHash(app.sessionSecret, token), ...owner, expiresAt, lastSeenAt: app.clock.now() }).run();
    reply.setCookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      path: '/',
      secure: 'auto',
      expires: expiresAt,
    });
  }

  /** A judge as /auth/me shows them: every event they sit on, the first one as the default. */
  function judgeMe(judge: { id: number; competitionId: number; name: string }) {
    const list = eventsOfJudges(app.db, [judge.id]).get(judge.id) ?? [];
    return {
      kind: 'judge' as const,
      judgeId: judge.id,
      competitionId: judge.competitionId,
      name: judge.name,
      eventId: list[0]?.eventId ?? null,
      role: list[0]?.role ?? null,
      events: list,
    };
  }

  /** The signed-in staff member or judge as /auth/me and /auth/session show them. */
  function meOf(a: Actor) {
    return a.kind === 'staff'
      ? { kind: 'staff' as const, accountId: a.accountId, username: a.username, displayName: a.displayName, role: a.role, orgId: a.orgId, mustChangePassword: Boolean(a.mustChangePassword) }
      : judgeMe({ id: a.judgeId, competitionId: a.competitionId, name: a.name });
  }

  /** The actor a staff account signs in as (the org path is not needed for what sign-in does). */
  function staffActorOf(account: typeof accounts.$inferSelect): StaffActor {
    return { kind: 'staff', accountId: account.id, username: account.username, displayName: account.displayName, role: account.role, orgId: account.orgId, orgPath: '', mustChangePassword: account.mustChangePassword };
  }

  function accountLocked(until: Date, now: Date): AppError {
    const retryAfterSeconds = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
    return new RetryLaterError('account_locked', `Too many wrong passwords: this account is locked until ${until.toISOString()}`, retryAfterSeconds);
  }

  /**
   * One more wrong password for the account; the one that reaches the limit locks it. Incremented in
   * SQL and read back in the same synchronous step, so parallel guesses cannot share a count.
   */
  function countWrongPassword(account: typeof accounts.$inferSelect, now: Date): void {
    const { failedSignIns } = app.db
      .update(accounts)
      .set({ failedSignIns: sql`${accounts.failedSignIns} + 1` })
      .where(eq(accounts.id, account.id))
      .returning({ failedSignIns: accounts.failedSignIns })
      .get()!;
    if (failedSignIns < opts.accountLock.failures) return;
    const lockedUntil = new Date(now.getTime() + opts.accountLock.ms);
    app.db.update(accounts).set({ failedSignIns: 0, lockedUntil }).where(eq(accounts.id, account.id)).run();
    recordAudit(app.db, null, { action: 'auth.account_locked', entityType: 'account', entityId: account.id, orgId: account.orgId, after: { failures: failedSignIns, lockedUntil: lockedUntil.toISOString() } });
  }

  app.post('/auth/login', {
    schema: {
      operationId: 'login',
      summary: 'Sign in with a staff account',
      description: SIGN_IN_LIMITED,
      tags,
      security: [],
      body: loginBody,
      response: { 200: meSchema, 400: problemSchema, 401: problemSchema, 429: problemSchema },
    },
    handler: async (req, reply) => {
      const now = app.clock.now();
      const account = app.db.select().from(accounts).where(eq(accounts.username, req.body.username)).get();
      const failedAudit = (reason: string) =>
        // Audited as the public (nobody is signed in): the name tried and the address, never the password.
        recordAudit(app.db, null, {
          action: 'auth.login_failed',
          entityType: 'account',
          entityId: account?.id ?? null,
          orgId: account?.orgId ?? null,
          after: { username: req.body.username, address: req.ip, reason },
        });
      // A locked account refuses the right password too (letting it through would confirm a guess),
      // before the throttle's own back-off so the answer names the lock and its real end.
      if (account?.lockedUntil && account.lockedUntil > now) {
        failedAudit('locked');
        throw accountLocked(account.lockedUntil, now);
      }
      const attempt = throttle.begin([
        { kind: 'address', id: addressBucket(req.ip) },
        { kind: 'account', id: req.body.username.toLowerCase() },
      ]);
      let ok = false;
      try {
        ok = await verifyPassword(req.body.password, account?.passwordHash ?? DUMMY_HASH);
      } catch (err) {
        attempt.abandon();
        throw err;
      }
      if (!account || !ok || !account.active) {
        attempt.failed();
        failedAudit(!account ? 'unknown_account' : !ok ? 'wrong_password' : 'inactive');
        if (account && !ok) countWrongPassword(account, now);
        throw new AppError(401, 'invalid_credentials', 'Wrong username or password');
      }
      attempt.succeeded();
      if (account.failedSignIns > 0 || account.lockedUntil)
        app.db.update(accounts).set({ failedSignIns: 0, lockedUntil: null }).where(eq(accounts.id, account.id)).run();
      startSession(reply, { accountId: account.id }, new Date(now.getTime() + app.sessionTtlMs));
      const actor = staffActorOf(account);
      recordAudit(app.db, actor, { action: 'auth.login', entityType: 'account', entityId: account.id, orgId: account.orgId });
      return meOf(actor);
    },
  });

  app.post('/auth/password', {
    schema: {
      operationId: 'changePassword',
      summary: 'Choose a new password for your own staff account (required after an administrator set it)',
      description:
        'The new password needs at least 8 characters from 3 of: capital letters, small letters, digits, symbols; ' +
        'it may not contain the username or repeat the current one. Your other sessions end; this one stays. ' +
        'A wrong current password counts towards the lock-out like a failed sign-in.',
      tags,
      body: changePasswordBody,
      response: { 200: meSchema, ...commonErrors, 429: problemSchema },
    },
    handler: async (req) => {
      const actor = requireStaff(req);
      const account = app.db.select().from(accounts).where(eq(accounts.id, actor.accountId)).get()!;
      const now = app.clock.now();
      if (account.lockedUntil && account.lockedUntil > now) throw accountLocked(account.lockedUntil, now);
      if (!(await verifyPassword(req.body.currentPassword, account.passwordHash))) {
        countWrongPassword(account, now);
        throw invalid('body.currentPassword', 'not the current password', 'wrong_current_password');
      }
      if (passwordProblem(req.body.newPassword, account.username) === 'contains_username')
        throw invalid('body.newPassword', PASSWORD_PROBLEM_TEXT.contains_username);
      if (req.body.newPassword === req.body.currentPassword) throw invalid('body.newPassword', 'must differ from the current password', 'password_reused');
      const passwordHash = await hashPassword(req.body.newPassword);
      const currentToken = tokenHash(app.sessionSecret, req.cookies[SESSION_COOKIE]!);
      app.db.transaction((tx) => {
        tx.update(accounts)
          .set({ passwordHash, mustChangePassword: false, passwordChangedAt: now, failedSignIns: 0 })
          .where(eq(accounts.id, account.id))
          .run();
        // Whoever else holds a session of this account (the reason it is being changed, perhaps) is out.
        tx.delete(sessions).where(and(eq(sessions.accountId, account.id), ne(sessions.tokenHash, currentToken))).run();
        recordAudit(tx, actor, { action: 'account.password_change', entityType: 'account', entityId: account.id, orgId: account.orgId, after: { forced: account.mustChangePassword } });
      });
      return meOf({ ...actor, mustChangePassword: false });
    },
  });

  app.post('/auth/judge-login', {
    schema: {
      operationId: 'judgeLogin',
      summary: 'Sign in as a judge with the code an organiser or chief judge issued (one code for every event the judge sits on)',
      description: SIGN_IN_LIMITED,
      tags,
      security: [],
      body: judgeLoginBody,
      response: { 200: meSchema, 400: problemSchema, 401: problemSchema, 429: problemSchema },
    },
    handler: async (req, reply) => {
      const attempt = throttle.begin([
        { kind: 'address', id: addressBucket(req.ip) },
        { kind: 'code', id: codeBucket(req.body.code) },
      ]);
      const now = app.clock.now();
      let judge: typeof judges.$inferSelect | undefined;
      try {
        judge = app.db
          .select()
          .from(judges)
          .where(and(eq(judges.codeHash, tokenHash(app.sessionSecret, req.body.code)), gt(judges.codeExpiresAt, now)))
          .get();
      } catch (err) {
        attempt.abandon();
        throw err;
      }
      if (!judge) {
        attempt.failed();
        // The code tried is a credential: only that a code failed, and from where.
        recordAudit(app.db, null, { action: 'auth.judge_login_failed', entityType: 'judge', after: { address: req.ip } });
        throw new AppError(401, 'invalid_judge_code', 'This judge code is unknown, revoked or expired');
      }
      attempt.succeeded();
      const ttlEnd = now.getTime() + app.sessionTtlMs;
      const expiresAt = new Date(Math.min(ttlEnd, judge.codeExpiresAt!.getTime()));
      startSession(reply, { judgeId: judge.id, judgeCodeNumber: judge.codeNumber }, expiresAt);
      recordAudit(app.db, { kind: 'judge', judgeId: judge.id, competitionId: judge.competitionId, name: judge.name, employerId: null, employerName: null, assignments: [] }, {
        action: 'auth.judge_login',
        entityType: 'judge',
        entityId: judge.id,
        after: { address: req.ip },
      });
      return judgeMe(judge);
    },
  });

  app.post('/auth/logout', {
    schema: {
      operationId: 'logout',
      summary: 'End the current session (always succeeds)',
      tags,
      security: [],
      response: { 200: okSchema },
    },
    handler: async (req, reply) => {
      const token = req.cookies[SESSION_COOKIE];
      if (token) app.db.delete(sessions).where(eq(sessions.tokenHash, tokenHash(app.sessionSecret, token))).run();
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true as const };
    },
  });

  // The app's shell asks this on every page: a visitor who is not signed in is an answer (null),
  // not an error, so no page logs a 401 in the console.
  app.get('/auth/session', {
    schema: {
      operationId: 'getSession',
      summary: 'Who is signed in, or null for a visitor (never 401)',
      tags,
      security: [],
      response: {
        200: z.object({
          session: meSchema.nullable(),
          /** The session this request came with had just ended because it was unused too long (the page says so). */
          endedIdle: z.boolean(),
          /** What printed QR codes and links point at (PUBLIC_URL); null: the page's own address. */
          publicUrl: z.string().nullable(),
        }),
      },
    },
    handler: async (req) => {
      return { session: req.actor ? meOf(req.actor) : null, endedIdle: req.sessionEndedIdle, publicUrl: opts.publicUrl };
    },
  });

  app.get('/auth/me', {
    schema: {
      operationId: 'getMe',
      summary: 'Who is signed in',
      tags,
      response: { 200: meSchema, 401: commonErrors[401] },
    },
    handler: async (req) => {
      if (!req.actor) throw unauthorized();
      return meOf(req.actor);
    },
  });
};

export default authRoutes;
