import { eq, inArray, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { judgeAssignments, judges, organisations, sessions } from '../../../db/schema.ts';
import type { IssuedCodes, JudgeCode, JudgeEvent, JudgeSlip } from '../../contracts/judges.ts';
import { AppError, conflict, forbidden, unauthorized } from '../../errors.ts';
import { assertInScope, type Actor, type PanelRole } from '../../plugins/auth.plugin.ts';
import { newJudgeCode, tokenHash } from '../../security.ts';
import { recordAudit, type Tx } from '../audit/audit.service.ts';
import { getEventContext, type CompetitionRow } from '../events/events.service.ts';
import { competitionContext, eventsOfJudges, getJudgeContext, isChiefOf, ROLE_ORDER, type JudgeContext, type JudgeRow } from './judges.service.ts';

/** What issuing codes needs from the app: the database, the key the codes are hashed with, and the clock. */
export type CodeDeps = Pick<FastifyInstance, 'db' | 'sessionSecret' | 'clock'>;

/** Codes outlive a competition without an end date by this long. */
const DEFAULT_CODE_LIFETIME_MS = 7 * 24 * 3600 * 1000;

/** Beijing is UTC+8 all year (no daylight saving). */
const BEIJING_OFFSET_MS = 8 * 3600 * 1000;

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

/** A time as a Beijing wall clock reads it, to the minute: "2026-12-05 23:59". */
export function beijingMinute(at: Date): string {
  return new Date(at.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** The page a judge signs in on: the tablet for anyone who marks, else the chief's console or the scorer's page. */
function signInPage(roles: PanelRole[]): string {
  if (roles.includes('judge') || roles.length === 0) return '/judge';
  if (roles.includes('chief') || roles.includes('supervisor')) return '/chief';
  return '/scorer';
}

/**
 * Admins and organisers in scope manage every code of the competition; the signed-in chief judge
 * of an event the judge sits on manages it too (they run the venue), but may not issue their
 * own, or a chief could keep themself signed in for ever.
 */
function assertMayManageCode(actor: Actor | null, ctx: JudgeContext, op: 'issue' | 'revoke'): void {
  if (!actor) throw unauthorized();
  if (actor.kind === 'staff') {
    if (actor.role !== 'admin' && actor.role !== 'organiser') throw forbidden('This needs one of the roles: admin, organiser');
    return assertInScope(actor, ctx.orgPath);
  }
  if (!ctx.assignments.some((a) => isChiefOf(actor, a.eventId)))
    throw forbidden("Only the chief judge of the judge's event or an organiser may manage judge codes");
  if (op === 'issue' && actor.judgeId === ctx.judge.id) throw forbidden('A chief judge cannot issue a code for themself');
}

function codeAuditView(row: JudgeRow) {
  return { codeIssuedAt: row.codeIssuedAt, codeExpiresAt: row.codeExpiresAt, hasCode: row.codeHash !== null, codeNumber: row.codeNumber };
}

function assertCompetitionRunsOn(competition: CompetitionRow, now: Date): Date {
  const expiresAt = codeExpiry(competition.endDate, now);
  if (expiresAt.getTime() <= now.getTime())
    throw conflict('competition_ended', 'The competition has ended; a code issued now would never work');
  return expiresAt;
}

/**
 * Gives one judge a new code inside the caller's transaction: the previous code stops working
 * and the judge's open sessions end (how a lost tablet is locked out). Returns the code: only its
 * keyed hash is stored, so this is the only time anyone sees it.
 */
function replaceCode(deps: CodeDeps, tx: Tx, actor: Actor, before: JudgeRow, orgId: number, now: Date, expiresAt: Date): string {
  // 31^8 codes make a clash with a live code vanishingly rare, but the hash is unique in the
  // table, so draw again rather than fail on it.
  let code = newJudgeCode();
  let hash = tokenHash(deps.sessionSecret, code);
  while (tx.select({ id: judges.id }).from(judges).where(eq(judges.codeHash, hash)).get()) {
    code = newJudgeCode();
    hash = tokenHash(deps.sessionSecret, code);
  }
  const row = tx.update(judges).set({ codeHash: hash, codeIssuedAt: now, codeExpiresAt: expiresAt, codeNumber: sql`${judges.codeNumber} + 1` }).where(eq(judges.id, before.id)).returning().get();
  tx.delete(sessions).where(eq(sessions.judgeId, before.id)).run();
  recordAudit(tx, actor, {
    action: 'judge.code_issue',
    entityType: 'judge',
    entityId: before.id,
    orgId,
    before: codeAuditView(before),
    // A reissue (the judge had a code) by whom: a chief judge handing a new code to a panel member
    // is what a review of the marks wants to find.
    after: { ...codeAuditView(row), reissue: before.codeIssuedAt !== null, issuedBy: actor.kind === 'judge' ? 'chief_judge' : actor.role },
  });
  return code;
}

/** Issues a new sign-in code for one judge; the previous one stops working. */
export function issueJudgeCode(deps: CodeDeps, actor: Actor | null, judgeId: number): JudgeCode {
  const now = deps.clock.now();
  const ctx = getJudgeContext(deps.db, judgeId);
  assertMayManageCode(actor, ctx, 'issue');
  const expiresAt = assertCompetitionRunsOn(ctx.competition, now);
  return deps.db.transaction(
    (tx) => {
      const code = replaceCode(deps, tx, actor!, ctx.judge, ctx.competition.orgId, now, expiresAt);
      return { code, link: `${signInPage(ctx.assignments.map((a) => a.role))}#code=${code}`, expiresAt: expiresAt.toISOString() };
    },
    { behavior: 'immediate' },
  );
}

/** Revokes a judge's code and signs them out everywhere. */
export function revokeJudgeCode(deps: CodeDeps, actor: Actor | null, judgeId: number): void {
  const ctx = getJudgeContext(deps.db, judgeId);
  assertMayManageCode(actor, ctx, 'revoke');
  deps.db.transaction(
    (tx) => {
      const row = tx.update(judges).set({ codeHash: null, codeExpiresAt: null }).where(eq(judges.id, judgeId)).returning().get();
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

type BulkScope = { kind: 'event'; eventId: number } | { kind: 'competition'; competitionId: number };

/**
 * Issues codes for every judge of an event's panel or of a whole competition at once (or the
 * listed ones, or those without a live code), in one transaction, and returns a printable slip
 * per judge. Reissuing ends a judge's previous code and sessions, as one at a time does. An
 * event's chief judge may issue their panel's codes, never their own (they are skipped).
 */
export function issueCodes(deps: CodeDeps, actor: Actor | null, scope: BulkScope, options: { judgeIds?: number[]; onlyMissing: boolean }): IssuedCodes {
  if (!actor) throw unauthorized();
  const { db } = deps;
  const now = deps.clock.now();
  let competition: CompetitionRow;
  let orgPath: string;
  let event: { id: number; name: string } | null = null;
  let candidates: JudgeRow[];
  let roleHere: Map<number, PanelRole> | null = null;
  if (scope.kind === 'event') {
    const ctx = getEventContext(db, scope.eventId);
    ({ competition, orgPath } = ctx);
    event = { id: ctx.event.id, name: ctx.event.name };
    if (actor.kind === 'judge' && !isChiefOf(actor, ctx.event.id)) throw forbidden("Only the event's chief judge or an organiser may issue its codes");
    const assigned = db.select().from(judgeAssignments).where(eq(judgeAssignments.eventId, scope.eventId)).all();
    roleHere = new Map(assigned.map((a) => [a.judgeId, a.role]));
    candidates = assigned.length ? db.select().from(judges).where(inArray(judges.id, [...roleHere.keys()])).all() : [];
  } else {
    if (actor.kind !== 'staff') throw forbidden('Only an organiser may issue the codes of a whole competition');
    ({ competition, orgPath } = competitionContext(db, scope.competitionId));
    candidates = db.select().from(judges).where(eq(judges.competitionId, scope.competitionId)).all();
  }
  if (actor.kind === 'staff') {
    if (actor.role !== 'admin' && actor.role !== 'organiser') throw forbidden('This needs one of the roles: admin, organiser');
    assertInScope(actor, orgPath);
  }
  const known = new Map(candidates.map((j) => [j.id, j]));
  options.judgeIds?.forEach((id, i) => {
    if (!known.has(id))
      throw new AppError(400, 'unknown_judge', `judge ${id} is not on this ${scope.kind === 'event' ? "event's panel" : 'competition'}`, [
        { field: `body.judgeIds.${i}`, message: 'not a judge here' },
      ]);
  });
  const wanted = options.judgeIds ? new Set(options.judgeIds) : null;
  const live = (j: JudgeRow) => j.codeHash !== null && (j.codeExpiresAt?.getTime() ?? 0) > now.getTime();
  const chosen = candidates.filter(
    (j) => (!wanted || wanted.has(j.id)) && !(options.onlyMissing && live(j)) && !(actor.kind === 'judge' && actor.judgeId === j.id),
  );
  const expiresAt = assertCompetitionRunsOn(competition, now);
  const eventsOf = eventsOfJudges(
    db,
    chosen.map((j) => j.id),
  );
  const employerIds = [...new Set(chosen.map((j) => j.employerId).filter((id): id is number => id != null))];
  const employerNames = new Map(
    employerIds.length
      ? db
          .select({ id: organisations.id, name: organisations.name })
          .from(organisations)
          .where(inArray(organisations.id, employerIds))
          .all()
          .map((o) => [o.id, o.name])
      : [],
  );
  const order = (j: JudgeRow) => (roleHere ? ROLE_ORDER.indexOf(roleHere.get(j.id)!) : 0);
  chosen.sort((a, b) => order(a) - order(b) || a.id - b.id);

  const slips = db.transaction(
    (tx) =>
      chosen.map((j): JudgeSlip => {
        const code = replaceCode(deps, tx, actor, j, competition.orgId, now, expiresAt);
        const events: JudgeEvent[] = eventsOf.get(j.id) ?? [];
        const roles = roleHere ? [roleHere.get(j.id)!] : events.map((e) => e.role);
        return {
          judgeId: j.id,
          name: j.name,
          employerName: j.employerId != null ? (employerNames.get(j.employerId) ?? null) : null,
          events,
          code,
          link: `${signInPage(roles)}#code=${code}`,
          expiresAt: expiresAt.toISOString(),
          expiresAtBeijing: beijingMinute(expiresAt),
        };
      }),
    { behavior: 'immediate' },
  );
  return {
    competitionId: competition.id,
    competitionName: competition.name,
    eventId: event?.id ?? null,
    eventName: event?.name ?? null,
    slips,
  };
}
