import { and, asc, eq, inArray, ne, or, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { competitions, corrections, events, judgeAssignments, judges, marks, organisations, paperEntries, panelSeats, rounds } from '../../../db/schema.ts';
import type { AddEventJudgeInput, CreateJudgeInput, EventJudge, Judge, JudgeEvent, UpdateJudgeInput } from '../../contracts/judges.ts';
import { conflict, forbidden, invalid, notFound, unauthorized } from '../../errors.ts';
import { assertInScope, inScope, judgeRoleIn, type Actor, type PanelRole, type StaffActor } from '../../plugins/auth.plugin.ts';
import { recordAudit, type Tx } from '../audit/audit.service.ts';
import { employerFields } from '../people/people.service.ts';
import { getEventContext, getEventInScope, iso, type CompetitionRow, type EventContext } from '../events/events.service.ts';

export type JudgeRow = typeof judges.$inferSelect;
type AssignmentRow = typeof judgeAssignments.$inferSelect;

/** What judge services need from the app: the database, the clock, and the rankings (panels change what an entry expects). */
export type JudgeDeps = Pick<FastifyInstance, 'db' | 'clock' | 'rankings'>;

/** Roles in panel order: the chief judge first. */
export const ROLE_ORDER: readonly PanelRole[] = ['chief', 'judge', 'supervisor', 'scorer'];

/** A judge as the API shows them: whether a code is live, never the code or its hash. */
export function presentJudge(row: JudgeRow, employerName: string | null, events: JudgeEvent[], now: Date): Judge {
  return {
    id: row.id,
    competitionId: row.competitionId,
    name: row.name,
    employerId: row.employerId,
    employerName,
    hasCode: row.codeHash !== null && (row.codeExpiresAt?.getTime() ?? 0) > now.getTime(),
    codeIssuedAt: iso(row.codeIssuedAt),
    codeExpiresAt: iso(row.codeExpiresAt),
    createdAt: row.createdAt.toISOString(),
    events,
  };
}

/** The events each of `judgeIds` sits on, in event order. */
export function eventsOfJudges(tx: Tx, judgeIds: number[]): Map<number, JudgeEvent[]> {
  const out = new Map<number, JudgeEvent[]>();
  if (judgeIds.length === 0) return out;
  const rows = tx
    .select({ judgeId: judgeAssignments.judgeId, eventId: judgeAssignments.eventId, eventName: events.name, role: judgeAssignments.role })
    .from(judgeAssignments)
    .innerJoin(events, eq(events.id, judgeAssignments.eventId))
    .where(inArray(judgeAssignments.judgeId, judgeIds))
    .orderBy(asc(judgeAssignments.eventId))
    .all();
  for (const r of rows) {
    let list = out.get(r.judgeId);
    if (!list) out.set(r.judgeId, (list = []));
    list.push({ eventId: r.eventId, eventName: r.eventName, role: r.role });
  }
  return out;
}

function judgeSelect(tx: Tx) {
  return tx
    .select({ judge: judges, employerName: sql<string | null>`coalesce(${organisations.name}, ${judges.employerName})` })
    .from(judges)
    .leftJoin(organisations, eq(organisations.id, judges.employerId));
}

function presentRows(tx: Tx, rows: { judge: JudgeRow; employerName: string | null }[], now: Date): Judge[] {
  const eventsOf = eventsOfJudges(
    tx,
    rows.map((r) => r.judge.id),
  );
  return rows.map((r) => presentJudge(r.judge, r.employerName, eventsOf.get(r.judge.id) ?? [], now));
}

export function loadJudge(tx: Tx, id: number, now: Date): Judge {
  const row = judgeSelect(tx).where(eq(judges.id, id)).get();
  if (!row) throw notFound('Judge');
  return presentRows(tx, [row], now)[0]!;
}

function loadEventJudge(tx: Tx, judgeId: number, eventId: number, now: Date): EventJudge {
  const judge = loadJudge(tx, judgeId, now);
  const role = judge.events.find((e) => e.eventId === eventId)?.role;
  if (!role) throw notFound('Judge');
  const trainee = tx
    .select({ trainee: judgeAssignments.trainee })
    .from(judgeAssignments)
    .where(and(eq(judgeAssignments.eventId, eventId), eq(judgeAssignments.judgeId, judgeId)))
    .get()?.trainee;
  return { ...judge, eventId, role, trainee: !!trainee && role === 'judge' };
}

/** The competition with its owner's path, or 404. */
export function competitionContext(db: Tx, competitionId: number): { competition: CompetitionRow; orgPath: string } {
  const row = db
    .select({ competition: competitions, orgPath: organisations.path })
    .from(competitions)
    .innerJoin(organisations, eq(organisations.id, competitions.orgId))
    .where(eq(competitions.id, competitionId))
    .get();
  if (!row) throw notFound('Competition');
  return row;
}

export type JudgeContext = { judge: JudgeRow; competition: CompetitionRow; orgPath: string; assignments: AssignmentRow[] };

/** The judge with their competition and event assignments, or 404. Scope is checked by the caller. */
export function getJudgeContext(db: Tx, id: number): JudgeContext {
  const judge = db.select().from(judges).where(eq(judges.id, id)).get();
  if (!judge) throw notFound('Judge');
  const assignments = db.select().from(judgeAssignments).where(eq(judgeAssignments.judgeId, id)).all();
  return { ...competitionContext(db, judge.competitionId), judge, assignments };
}

function getJudgeInScope(db: Tx, actor: StaffActor, id: number): JudgeContext {
  const ctx = getJudgeContext(db, id);
  assertInScope(actor, ctx.orgPath);
  return ctx;
}

/** Whether the actor is the signed-in chief judge (裁判长) of this event. */
export function isChiefOf(actor: Actor, eventId: number): boolean {
  return judgeRoleIn(actor, eventId) === 'chief';
}

/**
 * Who may see an event's panel: staff in scope, and the event's chief judge, who needs the
 * judge ids to hand out sign-in codes and seat the panels.
 */
function assertMayReadPanel(actor: Actor | null, ctx: EventContext): void {
  if (!actor) throw unauthorized();
  if (actor.kind === 'staff') return assertInScope(actor, ctx.orgPath);
  if (!isChiefOf(actor, ctx.event.id)) throw forbidden("Only the event's chief judge or staff may see the panel");
}

/**
 * 400 unless the employer is an organisation in the caller's subtree or the competition owner's:
 * the judge's row shows its name, so a missing organisation and one outside get the same answer
 * and the field cannot be used to read names elsewhere. A judge employed outside is recorded with
 * `employerName` as written, which recusal compares by name.
 */
function assertEmployerInReach(db: Tx, actor: StaffActor, competitionOrgPath: string, employerId: number | null | undefined): void {
  if (employerId == null) return;
  const employer = db.select({ path: organisations.path }).from(organisations).where(eq(organisations.id, employerId)).get();
  if (!employer || !(inScope(actor, employer.path) || employer.path.startsWith(competitionOrgPath)))
    throw invalid('body.employerId', 'no such organisation in your scope (give an employer outside it as employerName)');
}

/** At most one chief judge per event: corrections and the release of results need one clear signer. */
function assertNoOtherChief(tx: Tx, eventId: number, exceptJudgeId: number | null): void {
  const cond = and(
    eq(judgeAssignments.eventId, eventId),
    eq(judgeAssignments.role, 'chief'),
    exceptJudgeId === null ? undefined : ne(judgeAssignments.judgeId, exceptJudgeId),
  );
  const chief = tx
    .select({ name: judges.name })
    .from(judgeAssignments)
    .innerJoin(judges, eq(judges.id, judgeAssignments.judgeId))
    .where(cond)
    .get();
  if (chief) throw conflict('chief_exists', `The event already has a chief judge (${chief.name})`);
}

/** Whether the judge has marked, entered paper sheets or handled corrections in these rounds (all rounds when null). */
function hasWork(tx: Tx, judgeId: number, roundIds: number[] | null): boolean {
  if (roundIds && roundIds.length === 0) return false;
  const marked = tx
    .select({ id: marks.id })
    .from(marks)
    .where(and(eq(marks.judgeId, judgeId), roundIds ? inArray(marks.roundId, roundIds) : undefined))
    .limit(1)
    .get();
  const corrected = tx
    .select({ id: corrections.id })
    .from(corrections)
    .innerJoin(marks, eq(marks.id, corrections.markId))
    .where(and(or(eq(corrections.requestedBy, judgeId), eq(corrections.decidedBy, judgeId)), roundIds ? inArray(marks.roundId, roundIds) : undefined))
    .limit(1)
    .get();
  const onPaper = tx
    .select({ id: paperEntries.id })
    .from(paperEntries)
    .where(and(or(eq(paperEntries.judgeId, judgeId), eq(paperEntries.scorerId, judgeId)), roundIds ? inArray(paperEntries.roundId, roundIds) : undefined))
    .limit(1)
    .get();
  return !!(marked || corrected || onPaper);
}

const roundIdsOf = (tx: Tx, eventId: number) =>
  tx
    .select({ id: rounds.id })
    .from(rounds)
    .where(eq(rounds.eventId, eventId))
    .all()
    .map((r) => r.id);

// ---- The competition's judges ---------------------------------------------------------------

/** Every judge of a competition with the events they sit on (staff in scope). */
export function listCompetitionJudges(deps: JudgeDeps, actor: StaffActor, competitionId: number): Judge[] {
  const { orgPath } = competitionContext(deps.db, competitionId);
  assertInScope(actor, orgPath);
  const rows = judgeSelect(deps.db).where(eq(judges.competitionId, competitionId)).orderBy(asc(judges.id)).all();
  return presentRows(deps.db, rows, deps.clock.now());
}

/** Checks that every event belongs to the competition; names the field of the first that does not. */
function assertEventsOfCompetition(db: Tx, competitionId: number, eventIds: number[], field: (i: number) => string): void {
  const known = new Set(
    eventIds.length
      ? db
          .select({ id: events.id })
          .from(events)
          .where(and(eq(events.competitionId, competitionId), inArray(events.id, eventIds)))
          .all()
          .map((e) => e.id)
      : [],
  );
  eventIds.forEach((id, i) => {
    if (!known.has(id)) throw invalid(field(i), `no event ${id} in this competition`, 'unknown_event');
  });
  const seen = new Set<number>();
  eventIds.forEach((id, i) => {
    if (seen.has(id)) throw invalid(field(i), `event ${id} is listed twice`);
    seen.add(id);
  });
}

/** Adds a judge to the competition, optionally seated on events straight away (one chief per event). */
export function createJudge(deps: JudgeDeps, actor: StaffActor, competitionId: number, input: CreateJudgeInput): Judge {
  const { db } = deps;
  const { competition, orgPath } = competitionContext(db, competitionId);
  assertInScope(actor, orgPath);
  assertEmployerInReach(db, actor, orgPath, input.employerId);
  assertEventsOfCompetition(
    db,
    competitionId,
    input.events.map((e) => e.eventId),
    (i) => `body.events.${i}.eventId`,
  );
  const employer = employerFields(input);
  const judge = db.transaction(
    (tx) => {
      const row = tx.insert(judges).values({ competitionId, name: input.name, ...employer }).returning().get();
      for (const e of input.events) {
        if (e.role === 'chief') assertNoOtherChief(tx, e.eventId, null);
        tx.insert(judgeAssignments).values({ judgeId: row.id, eventId: e.eventId, role: e.role }).run();
      }
      recordAudit(tx, actor, {
        action: 'judge.create',
        entityType: 'judge',
        entityId: row.id,
        orgId: competition.orgId,
        after: { ...withoutCodeHash(row), events: input.events },
      });
      return loadJudge(tx, row.id, deps.clock.now());
    },
    { behavior: 'immediate' },
  );
  for (const e of input.events) deps.rankings.invalidate(e.eventId);
  return judge;
}

/** One judge, for staff in scope and the chief judge of an event they sit on. */
export function getJudge(deps: JudgeDeps, actor: Actor | null, id: number): Judge {
  const ctx = getJudgeContext(deps.db, id);
  if (!actor) throw unauthorized();
  if (actor.kind === 'staff') assertInScope(actor, ctx.orgPath);
  else if (!ctx.assignments.some((a) => isChiefOf(actor, a.eventId))) throw forbidden("Only the chief judge of the judge's event or staff may see them");
  return loadJudge(deps.db, id, deps.clock.now());
}

/** Changes a judge's name or employer (their recusals follow the employer at once). */
export function updateJudge(deps: JudgeDeps, actor: StaffActor, id: number, patch: UpdateJudgeInput): Judge {
  const { db } = deps;
  const ctx = getJudgeInScope(db, actor, id);
  assertEmployerInReach(db, actor, ctx.orgPath, patch.employerId);
  const employer = employerFields(patch);
  if (Object.keys(patch).length === 0) return loadJudge(db, id, deps.clock.now());
  const judge = db.transaction(
    (tx) => {
      const row = tx.update(judges).set({ ...patch, ...employer }).where(eq(judges.id, id)).returning().get();
      recordAudit(tx, actor, {
        action: 'judge.update',
        entityType: 'judge',
        entityId: id,
        orgId: ctx.competition.orgId,
        before: withoutCodeHash(ctx.judge),
        after: withoutCodeHash(row),
      });
      return loadJudge(tx, id, deps.clock.now());
    },
    { behavior: 'immediate' },
  );
  if ('employerId' in patch) for (const a of ctx.assignments) deps.rankings.invalidate(a.eventId);
  return judge;
}

/** Removes a judge from the competition: only one who has not marked (nor entered paper sheets or handled corrections). */
export function deleteJudge(deps: JudgeDeps, actor: StaffActor, id: number): void {
  const { db } = deps;
  const ctx = getJudgeInScope(db, actor, id);
  db.transaction(
    (tx) => {
      if (hasWork(tx, id, null)) throw conflict('marks_exist', 'A judge who has marked, entered paper sheets or handled corrections cannot be removed');
      // Their sessions, event assignments and seats go with them by cascade.
      tx.delete(judges).where(eq(judges.id, id)).run();
      recordAudit(tx, actor, { action: 'judge.delete', entityType: 'judge', entityId: id, orgId: ctx.competition.orgId, before: withoutCodeHash(ctx.judge) });
    },
    { behavior: 'immediate' },
  );
  for (const a of ctx.assignments) deps.rankings.invalidate(a.eventId);
}

// ---- One event's panel ---------------------------------------------------------------------

/** The judges sitting on an event, with their role there, chief first (staff in scope and the event's chief judge). */
export function listEventJudges(deps: JudgeDeps, actor: Actor | null, eventId: number): EventJudge[] {
  assertMayReadPanel(actor, getEventContext(deps.db, eventId));
  return eventPanel(deps.db, eventId, deps.clock.now());
}

export function eventPanel(db: Tx, eventId: number, now: Date): EventJudge[] {
  const assigned = db.select().from(judgeAssignments).where(eq(judgeAssignments.eventId, eventId)).all();
  if (assigned.length === 0) return [];
  const roleOf = new Map(assigned.map((a) => [a.judgeId, a.role]));
  const traineeIds = new Set(assigned.filter((a) => a.trainee && a.role === 'judge').map((a) => a.judgeId));
  const rows = judgeSelect(db)
    .where(inArray(judges.id, [...roleOf.keys()]))
    .all();
  return presentRows(db, rows, now)
    .map((j) => ({ ...j, eventId, role: roleOf.get(j.id)!, trainee: traineeIds.has(j.id) }))
    .sort((a, b) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role) || a.id - b.id);
}

/**
 * Puts a judge on the event's panel in a role: an existing judge of the competition, or a new
 * one who becomes a judge of the competition at the same time. At most one chief per event.
 */
export function addEventJudge(deps: JudgeDeps, actor: StaffActor, eventId: number, input: AddEventJudgeInput): EventJudge {
  const { db } = deps;
  const { event, competition, orgPath } = getEventInScope(db, actor, eventId);
  if (input.judgeId == null) assertEmployerInReach(db, actor, orgPath, input.employerId);
  const employer = employerFields(input);
  const result = db.transaction(
    (tx) => {
      let judgeId: number;
      if (input.judgeId != null) {
        const existing = tx.select().from(judges).where(eq(judges.id, input.judgeId)).get();
        if (!existing || existing.competitionId !== event.competitionId)
          throw invalid('body.judgeId', 'no such judge in this competition', 'unknown_judge');
        if (tx.select({ id: judgeAssignments.id }).from(judgeAssignments).where(and(eq(judgeAssignments.judgeId, existing.id), eq(judgeAssignments.eventId, eventId))).get())
          throw conflict('already_on_panel', `${existing.name} already sits on this event`);
        judgeId = existing.id;
      } else {
        judgeId = tx
          .insert(judges)
          .values({ competitionId: event.competitionId, name: input.name!, ...employer })
          .returning()
          .get().id;
        recordAudit(tx, actor, {
          action: 'judge.create',
          entityType: 'judge',
          entityId: judgeId,
          orgId: competition.orgId,
          after: { name: input.name, ...employer, competitionId: event.competitionId },
        });
      }
      if (input.role === 'chief') assertNoOtherChief(tx, eventId, null);
      const assignment = tx.insert(judgeAssignments).values({ judgeId, eventId, role: input.role }).returning().get();
      recordAudit(tx, actor, { action: 'judge.assign', entityType: 'judge', entityId: judgeId, orgId: competition.orgId, after: assignment });
      return loadEventJudge(tx, judgeId, eventId, deps.clock.now());
    },
    { behavior: 'immediate' },
  );
  deps.rankings.invalidate(eventId);
  return result;
}

function assignmentOf(tx: Tx, eventId: number, judgeId: number): AssignmentRow {
  const row = tx
    .select()
    .from(judgeAssignments)
    .where(and(eq(judgeAssignments.eventId, eventId), eq(judgeAssignments.judgeId, judgeId)))
    .get();
  if (!row) throw notFound('Judge on this panel');
  return row;
}

/**
 * Changes a judge's role in one event. A judge who leaves the marking roles (judge, chief) loses
 * their seats in the event's panels, so only one who has not marked there may.
 */
export function updateAssignment(deps: JudgeDeps, actor: StaffActor, eventId: number, judgeId: number, role: PanelRole): EventJudge {
  const { db } = deps;
  const { competition } = getEventInScope(db, actor, eventId);
  const before = assignmentOf(db, eventId, judgeId);
  if (before.role === role) return loadEventJudge(db, judgeId, eventId, deps.clock.now());
  const marking = (r: PanelRole) => r === 'judge' || r === 'chief';
  const result = db.transaction(
    (tx) => {
      if (role === 'chief') assertNoOtherChief(tx, eventId, judgeId);
      const roundIds = roundIdsOf(tx, eventId);
      // A trainee's marks do not count; in another role they would start counting.
      if (before.trainee && hasWork(tx, judgeId, roundIds)) throw conflict('marks_exist', 'A trainee who has marked in this event stays a trainee judge');
      if (marking(before.role) && !marking(role)) {
        if (hasWork(tx, judgeId, roundIds)) throw conflict('marks_exist', 'A judge who has marked in this event keeps a marking role');
        if (roundIds.length) tx.delete(panelSeats).where(and(eq(panelSeats.judgeId, judgeId), inArray(panelSeats.roundId, roundIds))).run();
      }
      // Only a judge can be a trainee: a new role leaves the trainee standing behind.
      const after = tx.update(judgeAssignments).set({ role, trainee: false }).where(eq(judgeAssignments.id, before.id)).returning().get();
      recordAudit(tx, actor, { action: 'judge.assign', entityType: 'judge', entityId: judgeId, orgId: competition.orgId, before, after });
      return loadEventJudge(tx, judgeId, eventId, deps.clock.now());
    },
    { behavior: 'immediate' },
  );
  deps.rankings.invalidate(eventId);
  return result;
}

/** Takes a judge off an event's panel (and its seats); they stay a judge of the competition. Only one who has not worked there. */
export function removeAssignment(deps: JudgeDeps, actor: StaffActor, eventId: number, judgeId: number): void {
  const { db } = deps;
  const { competition } = getEventInScope(db, actor, eventId);
  const before = assignmentOf(db, eventId, judgeId);
  db.transaction(
    (tx) => {
      const roundIds = roundIdsOf(tx, eventId);
      if (hasWork(tx, judgeId, roundIds))
        throw conflict('marks_exist', 'A judge who has marked, entered paper sheets or handled corrections in this event stays on its panel');
      if (roundIds.length) tx.delete(panelSeats).where(and(eq(panelSeats.judgeId, judgeId), inArray(panelSeats.roundId, roundIds))).run();
      tx.delete(judgeAssignments).where(eq(judgeAssignments.id, before.id)).run();
      recordAudit(tx, actor, { action: 'judge.unassign', entityType: 'judge', entityId: judgeId, orgId: competition.orgId, before });
    },
    { behavior: 'immediate' },
  );
  deps.rankings.invalidate(eventId);
}

/** The audit log is readable by more people than the panel: keep even the code's hash out of it. */
export function withoutCodeHash(row: JudgeRow): Omit<JudgeRow, 'codeHash'> & { hasCode: boolean } {
  const { codeHash, ...rest } = row;
  return { ...rest, hasCode: codeHash !== null };
}

