import { and, asc, count, eq, inArray, like, max, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Db } from '../../../db/client.ts';
import { entries, entryMembers, marks, objectiveValues, organisations, people, roundEntries } from '../../../db/schema.ts';
import type {
  AddRoundEntryInput,
  CreateEntryInput,
  Entry,
  EntryStatus,
  RoundEntry,
  UpdateEntryInput,
  UpdateRoundEntryInput,
} from '../../contracts/entries.ts';
import { maskResidentId } from '../../domain/resident-id.ts';
import { AppError, conflict, invalid, notFound } from '../../errors.ts';
import { inScope, type StaffActor } from '../../plugins/auth.plugin.ts';
import { recordAudit, type Tx } from '../audit/audit.service.ts';
import { assertCompetitionInScope, seesIdentities } from '../scope.ts';
import { firstRound, getEventContext, getEventInScope, type EventContext, type RankingDeps } from '../events/events.service.ts';
import { schemeForRound } from '../events/round-scheme.ts';
import { getRoundInScope } from '../events/rounds.service.ts';
import { addObjectiveVersion } from '../objective/objective.service.ts';
import { employerFields } from '../people/people.service.ts';
import { COMPLETION_TIME } from '../../contracts/objective.ts';
import type { Clock } from '../../clock.ts';
import { entryDisplayName, entryOfPerson, membersOfEntries, type EntryMember } from './members.ts';
import { checkTeamEntry, storeMembers } from './team-entries.service.ts';

type EntryRow = typeof entries.$inferSelect;
type RoundEntryRow = typeof roundEntries.$inferSelect;

const employer = alias(organisations, 'employer');
const delegation = alias(organisations, 'delegation');

/** Roles that work with full ID numbers (registration, certification); everyone else sees them masked. */
const FULL_ID_ROLES: readonly StaffActor['role'][] = ['admin', 'organiser', 'hr_officer'];

/**
 * Whether a record kept at `path` may be used for this event: it lies in the caller's subtree or
 * in the subtree of the organisation that owns the competition (its entrants and teams).
 */
export function usableForEvent(actor: StaffActor, ctx: EventContext, path: string): boolean {
  return inScope(actor, path) || path.startsWith(ctx.orgPath);
}

function entrySelect(tx: Tx) {
  return tx
    .select({
      entry: entries,
      name: people.name,
      gender: people.gender,
      idNumber: people.idNumber,
      phone: people.phone,
      employerId: people.employerId,
      // The organisation's name, or the employer as written when it is not an organisation.
      employerName: sql<string | null>`coalesce(${employer.name}, ${people.employerName})`,
      delegationName: delegation.name,
    })
    .from(entries)
    .innerJoin(people, eq(people.id, entries.personId))
    .leftJoin(employer, eq(employer.id, people.employerId))
    .leftJoin(delegation, eq(delegation.id, entries.delegationId));
}
type EntrySelectRow = ReturnType<ReturnType<typeof entrySelect>['all']>[number];

/**
 * An entry as staff see it: the ID number masked unless `showFullId`; the drawn number hidden
 * (null) unless `showNumber`, since a list of names with numbers is the sealed draw itself.
 */
export function presentEntry(row: EntrySelectRow, showFullId: boolean, showNumber = true, members?: readonly EntryMember[]): Entry {
  const e = row.entry;
  return {
    id: e.id,
    eventId: e.eventId,
    personId: e.personId,
    name: entryDisplayName(row.name, e.teamName, members),
    gender: row.gender,
    idNumber: showFullId ? row.idNumber : maskResidentId(row.idNumber),
    employerId: row.employerId,
    employerName: row.employerName,
    delegationId: e.delegationId,
    delegationName: row.delegationName,
    status: e.status,
    disqualifiedReason: e.disqualifiedReason,
    statusNote: e.statusNote,
    phone: showFullId ? row.phone : null,
    drawnNumber: showNumber ? e.drawnNumber : null,
    teamName: e.teamName,
    members: (members ?? []).map((m) => ({
      personId: m.personId,
      name: m.name,
      gender: m.gender,
      idNumber: showFullId ? m.idNumber : maskResidentId(m.idNumber),
      employerId: m.employerId,
      employerName: m.employerName,
      captain: m.captain,
      role: m.role,
    })),
    createdAt: e.createdAt.toISOString(),
  };
}

/** What is recorded for an entry in one round besides marks. */
export function presentRoundEntry(row: RoundEntryRow): RoundEntry {
  return { roundId: row.roundId, entryId: row.entryId, completionSeconds: row.completionSeconds, difficulty: row.difficulty };
}

function loadEntry(tx: Tx, actor: StaffActor, id: number): Entry {
  const row = entrySelect(tx).where(eq(entries.id, id)).get();
  if (!row) throw notFound('Entry');
  return presentEntry(row, FULL_ID_ROLES.includes(actor.role), true, membersOfEntries(tx, [id]).get(id));
}

/** The entry with its event and competition, or 404; and 403 outside the caller's subtree. */
export function getEntryInScope(db: Tx, actor: StaffActor, id: number): EventContext & { entry: EntryRow } {
  const entry = db.select().from(entries).where(eq(entries.id, id)).get();
  if (!entry) throw notFound('Entry');
  const ctx = getEventContext(db, entry.eventId);
  assertCompetitionInScope(db, actor, ctx.competition.id, ctx.orgPath);
  return { ...ctx, entry };
}

/** 400 naming `field` unless the person exists and may be entered by this caller for this event. */
function assertPersonUsable(db: Tx, actor: StaffActor, ctx: EventContext, personId: number, field: string): void {
  const row = db
    .select({ path: organisations.path })
    .from(people)
    .innerJoin(organisations, eq(organisations.id, people.orgId))
    .where(eq(people.id, personId))
    .get();
  // One message for "missing" and "out of scope", so the answer does not reveal who exists elsewhere.
  if (!row || !usableForEvent(actor, ctx, row.path)) throw invalid(field, 'no such person in your scope');
}

/** 400 naming `field` unless the delegation is an organisation the caller or the competition owner covers. */
function assertDelegationUsable(db: Tx, actor: StaffActor, ctx: EventContext, delegationId: number | null | undefined, field: string) {
  if (delegationId == null) return;
  const org = db.select({ path: organisations.path }).from(organisations).where(eq(organisations.id, delegationId)).get();
  if (!org || !usableForEvent(actor, ctx, org.path)) throw invalid(field, 'no such organisation in your scope');
}

/** One entry for any staff member in scope. */
export function getEntry(db: Db, actor: StaffActor, id: number): Entry {
  const ctx = getEntryInScope(db, actor, id);
  const entry = loadEntry(db, actor, id);
  return numberVisible(db, actor, ctx) ? entry : { ...entry, drawnNumber: null };
}

/**
 * Whether the caller may see drawn numbers next to names: after release anyone in scope; before,
 * only organisers, administrators and the competition's encryption officer (HR officers and
 * viewers see who entered, not who has which number).
 */
function numberVisible(db: Db, actor: StaffActor, ctx: EventContext): boolean {
  return ctx.event.releasedAt != null || seesIdentities(db, actor, ctx.competition.id);
}

/** An event's entries, filtered and a page at a time, for any staff member in scope. */
export function listEntries(
  db: Db,
  actor: StaffActor,
  eventId: number,
  q: { status?: EntryStatus; delegationId?: number; q?: string; page: number; pageSize: number },
) {
  const ctx = getEventInScope(db, actor, eventId);
  const where: SQL[] = [eq(entries.eventId, eventId)];
  if (q.status) where.push(eq(entries.status, q.status));
  if (q.delegationId) where.push(eq(entries.delegationId, q.delegationId));
  // A team is found by its name or any member's name, as well as by its captain's.
  if (q.q)
    where.push(
      sql`(${like(people.name, `%${q.q}%`)} or ${like(entries.teamName, `%${q.q}%`)} or exists (select 1 from ${entryMembers} em join ${people} mp on mp.id = em.person_id where em.entry_id = ${entries.id} and mp.name like ${`%${q.q}%`}))`,
    );
  const cond = and(...where);
  const rows = entrySelect(db)
    .where(cond)
    .orderBy(asc(entries.id))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .all();
  const total =
    db
      .select({ n: count() })
      .from(entries)
      .innerJoin(people, eq(people.id, entries.personId))
      .where(cond)
      .get()?.n ?? 0;
  const showFullId = FULL_ID_ROLES.includes(actor.role);
  const showNumber = numberVisible(db, actor, ctx);
  const members = membersOfEntries(
    db,
    rows.map((r) => r.entry.id),
  );
  return { items: rows.map((r) => presentEntry(r, showFullId, showNumber, members.get(r.entry.id))), total, page: q.page, pageSize: q.pageSize };
}

/**
 * Inserts an entry and puts it in the event's first round; a reserve (替补) joins no round until
 * the organiser puts it into one. Shared with bulk registration; the caller has checked the
 * person and delegation and runs this inside its transaction.
 */
export function insertEntry(
  tx: Tx,
  ctx: EventContext,
  values: { personId: number; delegationId: number | null; status?: EntryStatus; disqualifiedReason?: string | null; statusNote?: string | null; teamName?: string | null },
): EntryRow {
  const round = firstRound(tx, ctx.event.id);
  if (!round) throw conflict('no_round', 'The event has no round to enter');
  const row = tx
    .insert(entries)
    .values({ eventId: ctx.event.id, ...values })
    .returning()
    .get();
  if (row.status !== 'reserve') tx.insert(roundEntries).values({ roundId: round.id, entryId: row.id }).run();
  return row;
}

/**
 * Enters a person in an individual event, or a team or pair (its members) in a team event: one
 * entry per person and event, a member of a team included. The event's mode decides which: an
 * individual event takes one person per entry, a team event two or more.
 */
export function createEntry(deps: RankingDeps, actor: StaffActor, eventId: number, input: CreateEntryInput): Entry {
  const { db } = deps;
  const ctx = getEventInScope(db, actor, eventId);
  if (input.members !== undefined && ctx.event.mode !== 'team')
    throw invalid('body.members', 'an individual event takes one person per entry; set the event’s mode to team for teams and pairs');
  if (input.members === undefined && ctx.event.mode === 'team')
    throw invalid('body.members', 'a team event takes teams or pairs: give their members');
  if (input.personId !== undefined) assertPersonUsable(db, actor, ctx, input.personId, 'body.personId');
  const team = input.members ? checkTeamEntry(db, actor, ctx, input.members, 'body.members') : null;
  assertDelegationUsable(db, actor, ctx, input.delegationId, 'body.delegationId');
  const entry = db.transaction(
    (tx) => {
      const members = team ? team.create(tx) : null;
      const personId = members ? members.find((m) => m.captain)!.personId : input.personId!;
      for (const [i, id] of (members?.map((m) => m.personId) ?? [personId]).entries()) {
        const existing = entryOfPerson(tx, eventId, id);
        if (existing !== null)
          throw new AppError(409, 'already_entered', `The person is already entered in this event (entry ${existing})`, [
            { field: members ? `body.members.${i}` : 'body.personId', message: `already entered in this event (entry ${existing})` },
          ]);
      }
      const row = insertEntry(tx, ctx, {
        personId,
        delegationId: input.delegationId,
        status: input.status,
        disqualifiedReason: input.status === 'disqualified' ? (input.disqualifiedReason ?? null) : null,
        statusNote: input.statusNote ?? null,
        teamName: members ? input.teamName : null,
      });
      if (members) storeMembers(tx, row, members);
      recordAudit(tx, actor, {
        action: 'entry.create',
        entityType: 'entry',
        entityId: row.id,
        orgId: ctx.competition.orgId,
        after: members ? { ...row, members } : row,
      });
      return loadEntry(tx, actor, row.id);
    },
    { behavior: 'immediate' },
  );
  deps.rankings.invalidate(eventId);
  return entry;
}

/** Whether the entry has any mark in any round. */
function entryHasMarks(tx: Tx, entryId: number): boolean {
  return !!tx.select({ id: marks.id }).from(marks).where(eq(marks.entryId, entryId)).limit(1).get();
}

/**
 * Applies a change to an entry and, with `patch.person`, to the entrant's person record (name,
 * phone, employer), in one transaction with an audit row for each.
 *
 * - A disqualification's reason is kept only while the entry is disqualified; the staff-only
 *   status note is replaced when given and dropped when the status changes without one.
 * - withdrawn (退赛): the entry stays in its rounds with the marks it has (the parts done count);
 *   the event's `withdrawnRanking` rule places it.
 * - reserve (替补): only while the entry has no marks; it leaves every round. An entry leaving
 *   the reserve by a status change joins the first round when it is in none.
 */
function changeEntry(deps: RankingDeps, actor: StaffActor, id: number, patch: UpdateEntryInput, action: string): Entry {
  const { db } = deps;
  const ctx = getEntryInScope(db, actor, id);
  const before = ctx.entry;
  assertDelegationUsable(db, actor, ctx, patch.delegationId, 'body.delegationId');
  const personPatch = patch.person && Object.values(patch.person).some((v) => v !== undefined) ? patch.person : null;
  if (personPatch) {
    assertPersonUsable(db, actor, ctx, before.personId, 'body.person');
    assertDelegationUsable(db, actor, ctx, personPatch.employerId, 'body.person.employerId');
  }
  // Setting the employer one way clears the other (an organisation, or a name as written).
  const employer = personPatch ? employerFields(personPatch, 'body.person.employerName') : {};
  const status = patch.status ?? before.status;
  const set: Partial<EntryRow> = {
    status,
    disqualifiedReason: status === 'disqualified' ? (patch.disqualifiedReason ?? before.disqualifiedReason) : null,
    statusNote: patch.statusNote !== undefined ? patch.statusNote : status === before.status ? before.statusNote : null,
  };
  if (patch.delegationId !== undefined) set.delegationId = patch.delegationId;
  const entry = db.transaction(
    (tx) => {
      if (status === 'reserve' && before.status !== 'reserve') {
        if (entryHasMarks(tx, id)) throw conflict('marks_exist', 'An entry with marks cannot become a reserve; withdraw it instead');
        tx.delete(roundEntries).where(eq(roundEntries.entryId, id)).run();
      }
      if (before.status === 'reserve' && status !== 'reserve') {
        const inSome = tx.select({ roundId: roundEntries.roundId }).from(roundEntries).where(eq(roundEntries.entryId, id)).limit(1).get();
        const round = firstRound(tx, before.eventId);
        if (!inSome && round) tx.insert(roundEntries).values({ roundId: round.id, entryId: id }).run();
      }
      if (personPatch) {
        const personBefore = tx.select().from(people).where(eq(people.id, before.personId)).get()!;
        const person = tx.update(people).set({ ...personPatch, ...employer }).where(eq(people.id, before.personId)).returning().get();
        recordAudit(tx, actor, {
          action: 'person.update',
          entityType: 'person',
          entityId: person.id,
          orgId: person.orgId,
          before: personBefore,
          after: person,
        });
      }
      const row = tx.update(entries).set(set).where(eq(entries.id, id)).returning().get();
      recordAudit(tx, actor, { action, entityType: 'entry', entityId: id, orgId: ctx.competition.orgId, before, after: row });
      return loadEntry(tx, actor, id);
    },
    { behavior: 'immediate' },
  );
  deps.rankings.invalidate(before.eventId);
  return entry;
}

/** Changes an entry: delegation, status (a disqualification with its reason) and the entrant's name, phone or employer. */
export function updateEntry(deps: RankingDeps, actor: StaffActor, id: number, patch: UpdateEntryInput): Entry {
  return changeEntry(deps, actor, id, patch, 'entry.update');
}

/** Check-in (检录), absence, disqualification (with its reason), withdrawal, reserve, or back to registered. */
export function setEntryStatus(
  deps: RankingDeps,
  actor: StaffActor,
  id: number,
  input: { status: EntryStatus; reason?: string; note?: string | null },
): Entry {
  return changeEntry(deps, actor, id, { status: input.status, disqualifiedReason: input.reason, statusNote: input.note }, 'entry.status');
}

/** Statuses that may not be put into a round: they have left the event. */
const LEFT_STATUSES: readonly EntryStatus[] = ['absent', 'disqualified', 'withdrawn'];

/**
 * Puts an entry into a round: a reserve (替补) replacing a qualifier who withdrew before the final,
 * or an entry the advancement left out. A reserve becomes registered (to be checked in); an entry
 * without a drawn number gets the next free one, since the draw is closed once marks exist. Refused
 * once results are released, for a closed round, and for an entry that has left the event.
 */
export function addEntryToRound(deps: RankingDeps, actor: StaffActor, roundId: number, input: AddRoundEntryInput): RoundEntry {
  const { db } = deps;
  const { round, event, competition } = getRoundInScope(db, actor, roundId);
  if (event.releasedAt) throw conflict('results_released', 'Results are released; the rounds are fixed');
  if (round.status !== 'open') throw conflict('marking_closed', `Round ${round.name} is closed; reopen it to add an entrant`);
  const row = db.transaction(
    (tx) => {
      const entry = tx.select().from(entries).where(eq(entries.id, input.entryId)).get();
      if (!entry || entry.eventId !== round.eventId) throw invalid('body.entryId', 'no such entry in this event');
      if (LEFT_STATUSES.includes(entry.status))
        throw new AppError(409, 'entry_not_eligible', `The entrant has left the event (${entry.status}) and cannot be put into a round`, [
          { field: 'body.entryId', message: entry.status },
        ]);
      const where = and(eq(roundEntries.roundId, roundId), eq(roundEntries.entryId, entry.id));
      if (tx.select({ entryId: roundEntries.entryId }).from(roundEntries).where(where).get())
        throw conflict('already_in_round', `The entrant is already in round ${round.name}`);
      const set: Partial<EntryRow> = {};
      if (entry.status === 'reserve') set.status = 'registered';
      if (entry.drawnNumber == null) {
        const last = tx.select({ n: max(entries.drawnNumber) }).from(entries).where(eq(entries.eventId, entry.eventId)).get()?.n ?? 0;
        set.drawnNumber = last + 1;
      }
      const updated = Object.keys(set).length ? tx.update(entries).set(set).where(eq(entries.id, entry.id)).returning().get() : entry;
      const added = tx.insert(roundEntries).values({ roundId, entryId: entry.id }).returning().get();
      recordAudit(tx, actor, {
        action: 'round_entry.add',
        entityType: 'entry',
        entityId: entry.id,
        orgId: competition.orgId,
        before: { status: entry.status, drawnNumber: entry.drawnNumber },
        after: { roundId, status: updated.status, drawnNumber: updated.drawnNumber, reason: input.reason ?? null },
      });
      return added;
    },
    { behavior: 'immediate' },
  );
  deps.rankings.invalidate(round.eventId);
  return presentRoundEntry(row);
}

/**
 * Takes an entry out of a round it has no marks in (a qualifier who withdrew before the final,
 * before a reserve takes the place). Refused once results are released or when marks exist.
 */
export function removeEntryFromRound(deps: RankingDeps, actor: StaffActor, roundId: number, entryId: number, reason?: string): void {
  const { db } = deps;
  const { round, event, competition } = getRoundInScope(db, actor, roundId);
  if (event.releasedAt) throw conflict('results_released', 'Results are released; the rounds are fixed');
  db.transaction(
    (tx) => {
      const where = and(eq(roundEntries.roundId, roundId), eq(roundEntries.entryId, entryId));
      const before = tx.select().from(roundEntries).where(where).get();
      if (!before) throw notFound('Entry in this round');
      if (tx.select({ id: marks.id }).from(marks).where(and(eq(marks.roundId, roundId), eq(marks.entryId, entryId))).limit(1).get())
        throw conflict('marks_exist', `The entrant has marks in round ${round.name}; withdraw them instead`);
      tx.delete(roundEntries).where(where).run();
      recordAudit(tx, actor, {
        action: 'round_entry.remove',
        entityType: 'entry',
        entityId: entryId,
        orgId: competition.orgId,
        before,
        after: { roundId, reason: reason ?? null },
      });
    },
    { behavior: 'immediate' },
  );
  deps.rankings.invalidate(round.eventId);
}

/** Deletes an entry that nobody has marked yet (a marked one is withdrawn, made absent or disqualified instead). */
export function deleteEntry(deps: RankingDeps, actor: StaffActor, id: number): void {
  const { db } = deps;
  const { entry: before, competition } = getEntryInScope(db, actor, id);
  db.transaction(
    (tx) => {
      if (entryHasMarks(tx, id))
        throw conflict('marks_exist', 'An entry with marks cannot be deleted; withdraw it, or mark it absent or disqualified instead');
      if (tx.select({ id: objectiveValues.id }).from(objectiveValues).where(eq(objectiveValues.entryId, id)).limit(1).get())
        throw conflict('marks_exist', 'An entry with objective values (theory score, time) cannot be deleted; withdraw it, or mark it absent or disqualified instead');
      tx.delete(entries).where(eq(entries.id, id)).run();
      recordAudit(tx, actor, { action: 'entry.delete', entityType: 'entry', entityId: id, orgId: competition.orgId, before });
    },
    { behavior: 'immediate' },
  );
  deps.rankings.invalidate(before.eventId);
}

/**
 * Records an entry's completion time (the first tie-break) and difficulty coefficients for a round.
 * A coefficient may only be declared for a part whose scheme uses difficulty, and no longer
 * changes once a judge has marked that part for the entry: the marks were given against it.
 */
export function updateRoundEntry(
  deps: RankingDeps & { clock?: Clock },
  actor: StaffActor,
  roundId: number,
  entryId: number,
  input: UpdateRoundEntryInput,
): RoundEntry {
  const { db } = deps;
  const { round, event, competition } = getRoundInScope(db, actor, roundId);
  const where = and(eq(roundEntries.roundId, roundId), eq(roundEntries.entryId, entryId));
  const before = db.select().from(roundEntries).where(where).get();
  if (!before) throw notFound('Entry in this round');

  const scheme = schemeForRound(event, round);
  const difficulty = { ...before.difficulty };
  const changedParts: string[] = [];
  const errors: { field: string; message: string }[] = [];
  for (const [partId, coefficient] of Object.entries(input.difficulty ?? {})) {
    const part = scheme.parts.find((p) => p.id === partId);
    if (!part || !part.usesDifficulty) {
      errors.push({ field: `body.difficulty.${partId}`, message: part ? `part ${partId} does not use a difficulty coefficient` : `no part ${partId} in the scheme` });
      continue;
    }
    if ((difficulty[partId] ?? null) === coefficient) continue;
    changedParts.push(partId);
    if (coefficient === null) delete difficulty[partId];
    else difficulty[partId] = coefficient;
  }
  if (errors.length) throw new AppError(400, 'validation_failed', errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);

  const row = db.transaction(
    (tx) => {
      if (changedParts.length) {
        const marked = tx
          .select({ partId: marks.partId })
          .from(marks)
          .where(and(eq(marks.roundId, roundId), eq(marks.entryId, entryId), inArray(marks.partId, changedParts)))
          .limit(1)
          .get();
        if (marked) throw conflict('marks_exist', `Part ${marked.partId} already has marks for this entry; its difficulty is fixed`);
      }
      const set: Partial<RoundEntryRow> = { difficulty };
      if (input.completionSeconds !== undefined) set.completionSeconds = input.completionSeconds;
      // A completion time is a measured value: versioned and audited with the grid's (server/features/objective).
      if (input.completionSeconds !== undefined && input.completionSeconds !== before.completionSeconds)
        addObjectiveVersion(tx, actor, competition.orgId, { roundId, entryId, field: COMPLETION_TIME, number: null }, input.completionSeconds, {
          source: 'round_entry',
          reason: null,
          at: deps.clock?.now() ?? new Date(),
        });
      const updated = tx.update(roundEntries).set(set).where(where).returning().get();
      recordAudit(tx, actor, {
        action: 'round_entry.update',
        entityType: 'entry',
        entityId: entryId,
        orgId: competition.orgId,
        before,
        after: updated,
      });
      return updated;
    },
    { behavior: 'immediate' },
  );
  deps.rankings.invalidate(round.eventId);
  return presentRoundEntry(row);
}
