import { z } from 'zod';
import { and, eq, gt } from 'drizzle-orm';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { accounts, judges, sessions } from '../../../db/schema.ts';
import { judgeLoginBody, loginBody, meSchema } from '../../contracts/auth.ts';
import { commonErrors, okSchema, problemSchema } from '../../contracts/common.ts';
import { AppError, unauthorized } from '../../errors.ts';
import { SESSION_COOKIE, type Actor } from '../../plugins/auth.plugin.ts';
import { newToken, tokenHash, verifyPassword } from '../../security.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { addressBucket, codeBucket, LoginThrottle, type ThrottleLimits } from './login-throttle.ts';
import { eventsOfJudges } from '../judges/judges.service.ts';

const tags = ['auth'];
// Compared against when the username is unknown, so both failures take the same time.
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

const SIGN_IN_LIMITED =
  'Failed sign-ins are limited per account (or judge-code prefix) and per address, with growing delays; ' +
  'successful ones never are. A limited attempt is answered 429 `too_many_sign_in_failures` with Retry-After ' +
  'and `params.retryAfterSeconds`, whether or not the credentials were right.';

const authRoutes: FastifyPluginAsyncZod<{ loginLimits: ThrottleLimits }> = async (app, opts) => {
  const throttle = new LoginThrottle(app.clock, opts.loginLimits);

  function startSession(reply: FastifyReply, owner: { accountId?: number; judgeId?: number }, expiresAt: Date) {
    const token = newToken();
    app.db.insert(sessions).values({ tokenHash: tokenHash(app.sessionSecret, token), ...owner, expiresAt }).run();
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
      ? { kind: 'staff' as const, accountId: a.accountId, username: a.username, displayName: a.displayName, role: a.role, orgId: a.orgId }
      : judgeMe({ id: a.judgeId, competitionId: a.competitionId, name: a.name });
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
      const attempt = throttle.begin([
        { kind: 'address', id: addressBucket(req.ip) },
        { kind: 'account', id: req.body.username.toLowerCase() },
      ]);
      let account: typeof accounts.$inferSelect | undefined;
      let ok = false;
      try {
        account = app.db.select().from(accounts).where(eq(accounts.username, req.body.username)).get();
        ok = await verifyPassword(req.body.password, account?.passwordHash ?? DUMMY_HASH);
      } catch (err) {
        attempt.abandon();
        throw err;
      }
      if (!account || !ok || !account.active) {
        attempt.failed();
        // Audited as the public (nobody is signed in): the name tried and the address, never the password.
        recordAudit(app.db, null, {
          action: 'auth.login_failed',
          entityType: 'account',
          entityId: account?.id ?? null,
          orgId: account?.orgId ?? null,
          after: { username: req.body.username, address: req.ip, reason: !account ? 'unknown_account' : !ok ? 'wrong_password' : 'inactive' },
        });
        throw new AppError(401, 'invalid_credentials', 'Wrong username or password');
      }
      attempt.succeeded();
      startSession(reply, { accountId: account.id }, new Date(app.clock.now().getTime() + app.sessionTtlMs));
      recordAudit(app.db, { kind: 'staff', accountId: account.id, username: account.username, displayName: account.displayName, role: account.role, orgId: account.orgId, orgPath: '' }, {
        action: 'auth.login',
        entityType: 'account',
        entityId: account.id,
        orgId: account.orgId,
      });
      return {
        kind: 'staff' as const,
        accountId: account.id,
        username: account.username,
        displayName: account.displayName,
        role: account.role,
        orgId: account.orgId,
      };
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
      startSession(reply, { judgeId: judge.id }, expiresAt);
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
      response: { 200: z.object({ session: meSchema.nullable() }) },
    },
    handler: async (req) => {
      return { session: req.actor ? meOf(req.actor) : null };
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
