import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { judges, sessions } from '../../../db/schema.ts';
import type { JudgeCode } from '../../contracts/judges.ts';
import { conflict, forbidden, unauthorized } from '../../errors.ts';
import { assertInScope, type Actor } from '../../plugins/auth.plugin.ts';
import { newJudgeCode, tokenHash } from '../../security.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { getJudgeContext, isChiefOf, type JudgeRow } from './judges.service.ts';

/** What issuing codes needs from the app: the database and the key the codes are hashed with. */
export type CodeDeps = Pick<FastifyInstance, 'db' | 'sessionSecret' | 'clock'>;

/** Codes outlive a competition without an end date by this long. */
const DEFAULT_CODE_LIFETIME_MS = 7 * 24 * 3600 * 1000;

/**
 * When a newly issued code stops working: the end of the competition's last day in China time
 * (competitions run on Beijing time whatever the server's zone), or a week from now when the
 * competition has no end date.
 */
export function codeExpiry(endDate: string | null, now: Date): Date {
  const end = endDate ? new Date(`${endDate}T23:59:59+08:00`) : null;
  // A malformed end date must not produce an invalid expiry; fall back like a missing one.
  if (!end || Number.isNaN(end.getTime())) return new Date(now.getTime() + DEFAULT_CODE_LIFETIME_MS);
  return end;
}

/**
 * Admins and organisers in scope manage every code of the event; the signed-in chief judge of the
 * same event manages the panel's codes too (they run the venue), but may not issue their own, or
 * a chief could keep themself signed in for ever.
 */
function assertMayManageCode(actor: Actor | null, ctx: ReturnType<typeof getJudgeContext>, op: 'issue' | 'revoke'): void {
  if (!actor) throw unauthorized();
  if (actor.kind === 'staff') {
    if (actor.role !== 'admin' && actor.role !== 'organiser') throw forbidden('This needs one of the roles: admin, organiser');
    return assertInScope(actor, ctx.orgPath);
  }
  if (!isChiefOf(actor, ctx.judge.eventId)) throw forbidden("Only the event's chief judge or an organiser may manage judge codes");
  if (op === 'issue' && actor.judgeId === ctx.judge.id) throw forbidden('A chief judge cannot issue a code for themself');
}

function codeAuditView(row: JudgeRow) {
  return { codeIssuedAt: row.codeIssuedAt, codeExpiresAt: row.codeExpiresAt, hasCode: row.codeHash !== null };
}

/**
 * Issues a new sign-in code for a judge. Only its keyed hash is stored, so the code is shown this
 * once; the previous code stops working and the judge's open sessions end, which is how a lost
 * tablet is locked out.
 */
export function issueJudgeCode(deps: CodeDeps, actor: Actor | null, judgeId: number): JudgeCode {
  const { db } = deps;
  const now = deps.clock.now();
  const ctx = getJudgeContext(db, judgeId);
  assertMayManageCode(actor, ctx, 'issue');
  const expiresAt = codeExpiry(ctx.competition.endDate, now);
  if (expiresAt.getTime() <= now.getTime())
    throw conflict('competition_ended', 'The competition has ended; a code issued now would never work');

  return db.transaction(
    (tx) => {
      // 31^8 codes make a clash with a live code vanishingly rare, but the hash is unique in the
      // table, so draw again rather than fail on it.
      let code = newJudgeCode();
      let hash = tokenHash(deps.sessionSecret, code);
      while (tx.select({ id: judges.id }).from(judges).where(eq(judges.codeHash, hash)).get()) {
        code = newJudgeCode();
        hash = tokenHash(deps.sessionSecret, code);
      }
      const row = tx
        .update(judges)
        .set({ codeHash: hash, codeIssuedAt: now, codeExpiresAt: expiresAt })
        .where(eq(judges.id, judgeId))
        .returning()
        .get();
      tx.delete(sessions).where(eq(sessions.judgeId, judgeId)).run();
      recordAudit(tx, actor, {
        action: 'judge.code_issue',
        entityType: 'judge',
        entityId: judgeId,
        orgId: ctx.competition.orgId,
        before: codeAuditView(ctx.judge),
        after: codeAuditView(row),
      });
      return { code, link: `/judge?code=${code}`, expiresAt: expiresAt.toISOString() };
    },
    { behavior: 'immediate' },
  );
}

/** Revokes a judge's code and signs them out everywhere. */
export function revokeJudgeCode(deps: CodeDeps, actor: Actor | null, judgeId: number): void {
  const { db } = deps;
  const ctx = getJudgeContext(db, judgeId);
  assertMayManageCode(actor, ctx, 'revoke');
  db.transaction(
    (tx) => {
      const row = tx
        .update(judges)
        .set({ codeHash: null, codeExpiresAt: null })
        .where(eq(judges.id, judgeId))
        .returning()
        .get();
      tx.delete(sessions).where(eq(sessions.judgeId, judgeId)).run();
      recordAudit(tx, actor, {
        action: 'judge.code_revoke',
        entityType: 'judge',
        entityId: judgeId,
        orgId: ctx.competition.orgId,
        before: codeAuditView(ctx.judge),
        after: codeAuditView(row),
      });
    },
    { behavior: 'immediate' },
  );
}
