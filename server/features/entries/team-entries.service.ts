/**
 * Entries of two or more people (a pair, a team: 班组, 组合) in a team event. The entry is one
 * entrant: it draws one number, is marked, ranked and awarded as one, and its members are kept in
 * entry_members (server/features/entries/members.ts). Its captain (队长) is also the entry's
 * person, so everything that reads one person per entry finds them.
 */
import { eq, inArray } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { entries, entryMembers, organisations, people } from '../../../db/schema.ts';
import type { Entry, EntryMemberInput, SetEntryMembersInput } from '../../contracts/entries.ts';
import { parseResidentId } from '../../domain/resident-id.ts';
import { AppError, conflict } from '../../errors.ts';
import type { StaffActor } from '../../plugins/auth.plugin.ts';
import { recordAudit, type Tx } from '../audit/audit.service.ts';
import type { EventContext, RankingDeps } from '../events/events.service.ts';
import { getEntry, getEntryInScope, usableForEvent } from './entries.service.ts';
import { entryOfPerson, membersOfEntries } from './members.ts';

type FieldError = { field: string; message: string };

/** A member once stored: who, in what order, captain or not. */
export type ResolvedMember = { personId: number; seq: number; captain: boolean; role: string | null };

/**
 * Checks a roster before anything is written: each member an existing person in scope, or one
 * typed in (a valid ID number; the same name as the person already holding it; an employer in
 * scope), nobody twice. Every problem is named by its member (`body.members.1.person.idNumber`)
 * and nothing is stored. Returns what creates the new people and gives the roster, to run inside
 * the caller's transaction.
 */
export function checkTeamEntry(db: Db | Tx, actor: StaffActor, ctx: EventContext, members: readonly EntryMemberInput[], field: string) {
  const errors: FieldError[] = [];
  const givenIds = members.flatMap((m) => (m.personId !== undefined ? [m.personId] : []));
  const byId = new Map(
    (givenIds.length
      ? db.select({ id: people.id, path: organisations.path }).from(people).innerJoin(organisations, eq(organisations.id, people.orgId)).where(inArray(people.id, givenIds)).all()
      : []
    ).map((p) => [p.id, p]),
  );
  const parsed = members.map((m) => (m.person ? parseResidentId(m.person.idNumber) : null));
  const idNumbers = parsed.flatMap((p) => (p?.ok ? [p.value.idNumber] : []));
  const byIdNumber = new Map(
    (idNumbers.length ? db.select({ id: people.id, name: people.name, idNumber: people.idNumber }).from(people).where(inArray(people.idNumber, idNumbers)).all() : []).map(
      (p) => [p.idNumber, p],
    ),
  );
  const employerIds = members.flatMap((m) => (m.person?.employerId != null ? [m.person.employerId] : []));
  const orgPath = new Map(
    (employerIds.length ? db.select({ id: organisations.id, path: organisations.path }).from(organisations).where(inArray(organisations.id, employerIds)).all() : []).map((o) => [
      o.id,
      o.path,
    ]),
  );

  type Planned = { existing: number } | { create: NonNullable<EntryMemberInput['person']> & { idNumber: string; gender: 'male' | 'female'; birthDate: string } };
  const planned: Planned[] = [];
  const seen = new Map<string, number>();
  members.forEach((m, i) => {
    const at = `${field}.${i}`;
    if (m.personId !== undefined) {
      const p = byId.get(m.personId);
      // One message for "missing" and "out of scope", so the answer does not reveal who exists elsewhere.
      if (!p || !usableForEvent(actor, ctx, p.path)) errors.push({ field: `${at}.personId`, message: 'no such person in your scope' });
      else planned.push({ existing: p.id });
      const key = `id:${m.personId}`;
      if (seen.has(key)) errors.push({ field: `${at}.personId`, message: `the same person as member ${seen.get(key)! + 1}` });
      seen.set(key, i);
      return;
    }
    const person = m.person!;
    const id = parsed[i]!;
    if (!id.ok) {
      errors.push({ field: `${at}.person.idNumber`, message: id.message });
      return;
    }
    const known = byIdNumber.get(id.value.idNumber);
    // A different name under a known ID number is a typo in one of them; guessing would enter
    // the wrong person. The stored name is not echoed back (it may be out of scope).
    if (known && known.name !== person.name) errors.push({ field: `${at}.person.name`, message: 'this ID number is already registered under a different name' });
    if (person.employerId != null) {
      const path = orgPath.get(person.employerId);
      if (!path || !usableForEvent(actor, ctx, path)) errors.push({ field: `${at}.person.employerId`, message: 'no such organisation in your scope' });
      if (person.employerName != null) errors.push({ field: `${at}.person.employerName`, message: 'give the employer as an organisation or as text, not both' });
    }
    const key = known ? `id:${known.id}` : `idn:${id.value.idNumber}`;
    if (seen.has(key)) errors.push({ field: `${at}.person.idNumber`, message: `the same person as member ${seen.get(key)! + 1}` });
    seen.set(key, i);
    planned.push(known ? { existing: known.id } : { create: { ...person, ...id.value } });
  });
  if (errors.length) throw new AppError(400, 'validation_failed', errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);

  const captainIndex = Math.max(
    0,
    members.findIndex((m) => m.captain),
  );
  return {
    /** Creates the people typed in who are not known yet (kept by the competition's organisation) and gives the roster. */
    create(tx: Tx): ResolvedMember[] {
      return planned.map((p, i) => {
        const personId =
          'existing' in p
            ? p.existing
            : tx
                .insert(people)
                .values({
                  orgId: ctx.competition.orgId,
                  employerId: p.create.employerId ?? null,
                  employerName: p.create.employerId != null ? null : (p.create.employerName ?? null),
                  name: p.create.name,
                  idNumber: p.create.idNumber,
                  gender: p.create.gender,
                  birthDate: p.create.birthDate,
                  phone: p.create.phone ?? null,
                  occupationCode: p.create.occupationCode ?? null,
                  occupationName: p.create.occupationName ?? null,
                  skillLevel: p.create.skillLevel ?? null,
                })
                .returning({ id: people.id })
                .get().id;
        return { personId, seq: i + 1, captain: i === captainIndex, role: members[i]!.role ?? null };
      });
    },
  };
}

/** Stores an entry's roster (the rows are replaced by the caller when it changes). */
export function storeMembers(tx: Tx, entry: { id: number; eventId: number }, members: readonly ResolvedMember[]): void {
  for (const m of members) tx.insert(entryMembers).values({ entryId: entry.id, eventId: entry.eventId, ...m }).run();
}

/**
 * Replaces the roster and name of a team or pair entry: a substitution (替换) or a corrected
 * name before the results are released; refused after release, since the published result names
 * them. The entry keeps its number and marks: it is the same entrant. Each member must not be in
 * another entry of the event; the captain becomes the entry's person. Audited with the roster
 * before and after and the reason.
 */
export function setEntryMembers(deps: RankingDeps, actor: StaffActor, entryId: number, input: SetEntryMembersInput): Entry {
  const { db } = deps;
  const ctx = getEntryInScope(db, actor, entryId);
  if (ctx.event.mode !== 'team') throw conflict('not_a_team_event', 'Only entries of a team event have members');
  if (ctx.event.releasedAt) throw conflict('results_released', 'The results are released with these members; change them through an appeal');
  const team = checkTeamEntry(db, actor, ctx, input.members, 'body.members');
  db.transaction(
    (tx) => {
      const before = { personId: ctx.entry.personId, teamName: ctx.entry.teamName, members: membersOfEntries(tx, [entryId]).get(entryId) ?? [] };
      tx.delete(entryMembers).where(eq(entryMembers.entryId, entryId)).run();
      const members = team.create(tx);
      for (const [i, m] of members.entries()) {
        const other = entryOfPerson(tx, ctx.event.id, m.personId, entryId);
        if (other !== null)
          throw new AppError(409, 'already_entered', `The person is already entered in this event (entry ${other})`, [
            { field: `body.members.${i}`, message: `already entered in this event (entry ${other})` },
          ]);
      }
      storeMembers(tx, ctx.entry, members);
      const captain = members.find((m) => m.captain)!.personId;
      tx.update(entries).set({ personId: captain, teamName: input.teamName }).where(eq(entries.id, entryId)).run();
      recordAudit(tx, actor, {
        action: 'entry.members',
        entityType: 'entry',
        entityId: entryId,
        orgId: ctx.competition.orgId,
        before,
        after: { personId: captain, teamName: input.teamName, members, reason: input.reason ?? null },
      });
    },
    { behavior: 'immediate' },
  );
  deps.rankings.invalidate(ctx.event.id);
  return getEntry(db, actor, entryId);
}
