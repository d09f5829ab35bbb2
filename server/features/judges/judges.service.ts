import { and, asc, eq, ne, or, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { corrections, judges, marks, organisations, paperEntries } from '../../../db/schema.ts';
import type { CreateJudgeInput, Judge, UpdateJudgeInput } from '../../contracts/judges.ts';
import { conflict, forbidden, invalid, notFound, unauthorized } from '../../errors.ts';
import { assertInScope, type Actor, type StaffActor } from '../../plugins/auth.plugin.ts';
import { recordAudit, type Tx } from '../audit/audit.service.ts';
import { employerFields } from '../people/people.service.ts';
import { getEventContext, getEventInScope, iso, type EventContext } from '../events/events.service.ts';

export type JudgeRow = typeof judges.$inferSelect;

/** A panel member as the API shows them: whether a code is live, never the code or its hash. */
export function presentJudge(row: JudgeRow, employerName: string | null, now = new Date()): Judge {
  return {
    id: row.id,
    eventId: row.eventId,
    name: row.name,
    employerId: row.employerId,
    employerName,
    role: row.role,
    hasCode: row.codeHash !== null && (row.codeExpiresAt?.getTime() ?? 0) > now.getTime(),
    codeIssuedAt: iso(row.codeIssuedAt),
    codeExpiresAt: iso(row.codeExpiresAt),
    createdAt: row.createdAt.toISOString(),
  };
}

function judgeSelect(tx: Tx) {
  return tx
    .select({ judge: judges, employerName: sql<string | null>`coalesce(${organisations.name}, ${judges.employerName})` })
    .from(judges)
    .leftJoin(organisations, eq(organisations.id, judges.employerId));
}

function loadJudge(tx: Tx, id: number): Judge {
  const row = judgeSelect(tx).where(eq(judges.id, id)).get();
  if (!row) throw notFound('Judge');
  return presentJudge(row.judge, row.employerName);
}

/** The judge with their event and competition, or 404. Scope is checked by the caller. */
export function getJudgeContext(db: Tx, id: number): EventContext & { judge: JudgeRow } {
  const judge = db.select().from(judges).where(eq(judges.id, id)).get();
  if (!judge) throw notFound('Judge');
  return { ...getEventContext(db, judge.eventId), judge };
}

/** The judge, or 404; and 403 when their event belongs outside the caller's subtree. */
export function getJudgeInScope(db: Tx, actor: StaffActor, id: number): EventContext & { judge: JudgeRow } {
  const ctx = getJudgeContext(db, id);
  assertInScope(actor, ctx.orgPath);
  return ctx;
}

/** Whether the actor is the signed-in chief judge (裁判长) of this event. */
export function isChiefOf(actor: Actor, eventId: number): boolean {
  return actor.kind === 'judge' && actor.role === 'chief' && actor.eventId === eventId;
}

/**
 * Who may see an event's panel: staff in scope, and the event's chief judge, who needs the
 * judge ids to hand out sign-in codes.
 */
function assertMayReadPanel(actor: Actor | null, ctx: EventContext): void {
  if (!actor) throw unauthorized();
  if (actor.kind === 'staff') return assertInScope(actor, ctx.orgPath);
  if (!isChiefOf(actor, ctx.event.id)) throw forbidden("Only the event's chief judge or staff may see the panel");
}

function assertEmployerExists(db: Tx, employerId: number | null | undefined): void {
  if (employerId == null) return;
  if (!db.select({ id: organisations.id }).from(organisations).where(eq(organisations.id, employerId)).get())
    throw invalid('body.employerId', 'no such organisation');
}

/** At most one chief judge per event: corrections and the release of results need one clear signer. */
function assertNoOtherChief(tx: Tx, eventId: number, exceptJudgeId: number | null): void {
  const cond = and(eq(judges.eventId, eventId), eq(judges.role, 'chief'), exceptJudgeId === null ? undefined : ne(judges.id, exceptJudgeId));
  const chief = tx.select({ id: judges.id, name: judges.name }).from(judges).where(cond).get();
  if (chief) throw conflict('chief_exists', `The event already has a chief judge (${chief.name})`);
}

/** The event's panel, for staff in scope and the event's chief judge. */
export function listJudges(db: Db, actor: Actor | null, eventId: number): Judge[] {
  assertMayReadPanel(actor, getEventContext(db, eventId));
  return judgeSelect(db)
    .where(eq(judges.eventId, eventId))
    .orderBy(asc(judges.id))
    .all()
    .map((r) => presentJudge(r.judge, r.employerName));
}

/** One panel member, for staff in scope and the event's chief judge. */
export function getJudge(db: Db, actor: Actor | null, id: number): Judge {
  assertMayReadPanel(actor, getJudgeContext(db, id));
  return loadJudge(db, id);
}

/** Adds a panel member (at most one chief judge per event). */
export function createJudge(db: Db, actor: StaffActor, eventId: number, input: CreateJudgeInput): Judge {
  const { competition } = getEventInScope(db, actor, eventId);
  assertEmployerExists(db, input.employerId);
  const employer = employerFields(input);
  return db.transaction(
    (tx) => {
      if (input.role === 'chief') assertNoOtherChief(tx, eventId, null);
      const row = tx
        .insert(judges)
        .values({ ...input, ...employer, eventId })
        .returning()
        .get();
      recordAudit(tx, actor, { action: 'judge.create', entityType: 'judge', entityId: row.id, orgId: competition.orgId, after: withoutCodeHash(row) });
      return loadJudge(tx, row.id);
    },
    { behavior: 'immediate' },
  );
}

/** Changes a panel member; their role takes effect on their next request. */
export function updateJudge(db: Db, actor: StaffActor, id: number, patch: UpdateJudgeInput): Judge {
  const { judge: before, competition } = getJudgeInScope(db, actor, id);
  assertEmployerExists(db, patch.employerId);
  const employer = employerFields(patch);
  if (Object.keys(patch).length === 0) return loadJudge(db, id);
  return db.transaction(
    (tx) => {
      if (patch.role === 'chief') assertNoOtherChief(tx, before.eventId, id);
      const row = tx
        .update(judges)
        .set({ ...patch, ...employer })
        .where(eq(judges.id, id))
        .returning()
        .get();
      recordAudit(tx, actor, {
        action: 'judge.update',
        entityType: 'judge',
        entityId: id,
        orgId: competition.orgId,
        before: withoutCodeHash(before),
        after: withoutCodeHash(row),
      });
      return loadJudge(tx, id);
    },
    { behavior: 'immediate' },
  );
}

/** Removes a panel member who has not marked (nor requested or decided a correction). */
export function deleteJudge(db: Db, actor: StaffActor, id: number): void {
  const { judge: before, competition } = getJudgeInScope(db, actor, id);
  db.transaction(
    (tx) => {
      const marked = tx.select({ id: marks.id }).from(marks).where(eq(marks.judgeId, id)).limit(1).get();
      const corrected = tx
        .select({ id: corrections.id })
        .from(corrections)
        .where(or(eq(corrections.requestedBy, id), eq(corrections.decidedBy, id)))
        .limit(1)
        .get();
      const onPaper = tx
        .select({ id: paperEntries.id })
        .from(paperEntries)
        .where(or(eq(paperEntries.judgeId, id), eq(paperEntries.scorerId, id)))
        .limit(1)
        .get();
      if (marked || corrected || onPaper) throw conflict('marks_exist', 'A judge who has marked, entered paper sheets or handled corrections cannot be removed');
      // Their sessions go with them by cascade.
      tx.delete(judges).where(eq(judges.id, id)).run();
      recordAudit(tx, actor, { action: 'judge.delete', entityType: 'judge', entityId: id, orgId: competition.orgId, before: withoutCodeHash(before) });
    },
    { behavior: 'immediate' },
  );
}

/** The audit log is readable by more people than the panel: keep even the code's hash out of it. */
export function withoutCodeHash(row: JudgeRow): Omit<JudgeRow, 'codeHash'> & { hasCode: boolean } {
  const { codeHash, ...rest } = row;
  return { ...rest, hasCode: codeHash !== null };
}
