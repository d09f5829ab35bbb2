/**
 * The people behind an entry of two or more (a pair, a team: entry_members) and the name it is
 * shown by. An individual entry has no member rows: its one person is `entries.person_id`, and
 * every reader of one person per entry (recusal, titles, records) goes on working for it. For a
 * team entry that person is the captain (队长); the helpers here give everyone.
 */
import { asc, eq, inArray, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Db } from '../../../db/client.ts';
import { entries, entryMembers, organisations, people } from '../../../db/schema.ts';
import type { EmployerRef } from '../../domain/recusal.ts';
import type { Tx } from '../audit/audit.service.ts';

export type EntryMember = {
  personId: number;
  name: string;
  idNumber: string;
  gender: 'male' | 'female';
  employerId: number | null;
  /** The organisation's name, or the employer as written. */
  employerName: string | null;
  captain: boolean;
  role: string | null;
  seq: number;
};

const employer = alias(organisations, 'member_employer');

function memberSelect(db: Db | Tx) {
  return db
    .select({
      entryId: entryMembers.entryId,
      personId: entryMembers.personId,
      name: people.name,
      idNumber: people.idNumber,
      gender: people.gender,
      employerId: people.employerId,
      employerName: sql<string | null>`coalesce(${employer.name}, ${people.employerName})`,
      captain: entryMembers.captain,
      role: entryMembers.role,
      seq: entryMembers.seq,
    })
    .from(entryMembers)
    .innerJoin(people, eq(people.id, entryMembers.personId))
    .leftJoin(employer, eq(employer.id, people.employerId));
}

function group(rows: ({ entryId: number } & EntryMember)[]): Map<number, EntryMember[]> {
  const out = new Map<number, EntryMember[]>();
  for (const { entryId, ...m } of rows) {
    let list = out.get(entryId);
    if (!list) out.set(entryId, (list = []));
    list.push(m);
  }
  return out;
}

/** Members of every multi-person entry of an event, in their order; individual entries are not in the map. */
export function membersOfEvent(db: Db | Tx, eventId: number): Map<number, EntryMember[]> {
  return group(memberSelect(db).where(eq(entryMembers.eventId, eventId)).orderBy(asc(entryMembers.entryId), asc(entryMembers.seq)).all());
}

/** Members of the given entries that have several people; individual entries are not in the map. */
export function membersOfEntries(db: Db | Tx, entryIds: readonly number[]): Map<number, EntryMember[]> {
  if (entryIds.length === 0) return new Map();
  const out = new Map<number, EntryMember[]>();
  // In slices: SQLite binds at most 32,766 parameters.
  for (let i = 0; i < entryIds.length; i += 5000) {
    const part = group(
      memberSelect(db)
        .where(inArray(entryMembers.entryId, entryIds.slice(i, i + 5000) as number[]))
        .orderBy(asc(entryMembers.entryId), asc(entryMembers.seq))
        .all(),
    );
    for (const [k, v] of part) out.set(k, v);
  }
  return out;
}

/**
 * The name an entry is shown by: an individual's name; a team's name (班组 / 组合 name) where
 * one was given; else its members' names in order, joined as Chinese lists them ("张三、李四").
 */
export function entryDisplayName(personName: string, teamName: string | null | undefined, members: readonly { name: string }[] | undefined): string {
  if (!members || members.length === 0) return teamName?.trim() || personName;
  return teamName?.trim() || members.map((m) => m.name).join('、');
}

/** Every employer recusal must compare for an entry: its members', or the one person's. */
export function entrantEmployers(primary: EmployerRef, members: readonly EntryMember[] | undefined): EmployerRef[] {
  if (!members || members.length === 0) return [primary];
  return members.map((m) => ({ organisationId: m.employerId, name: m.employerName }));
}

/** The display names of an event's entries that have several people (entry id → name). */
export function teamNamesOfEvent(db: Db | Tx, eventId: number): Map<number, string> {
  const members = membersOfEvent(db, eventId);
  if (members.size === 0) return new Map();
  const names = new Map<number, string>();
  for (const e of db.select({ id: entries.id, teamName: entries.teamName }).from(entries).where(eq(entries.eventId, eventId)).all()) {
    const list = members.get(e.id);
    if (list) names.set(e.id, entryDisplayName('', e.teamName, list));
  }
  return names;
}

/** The entries of an event a person is in, as an individual or as a member (for "one entry per person and event"). */
export function entryOfPerson(db: Db | Tx, eventId: number, personId: number, exceptEntryId?: number): number | null {
  const own = db
    .select({ id: entries.id })
    .from(entries)
    .where(sql`${entries.eventId} = ${eventId} and ${entries.personId} = ${personId}`)
    .all()
    .map((r) => r.id);
  const asMember = db
    .select({ id: entryMembers.entryId })
    .from(entryMembers)
    .where(sql`${entryMembers.eventId} = ${eventId} and ${entryMembers.personId} = ${personId}`)
    .all()
    .map((r) => r.id);
  return [...own, ...asMember].find((id) => id !== exceptEntryId) ?? null;
}

/** The employers recusal compares for one entry given its person's employer (snake-case rows of raw queries). */
export function employersOfEntry(db: Db | Tx, entry: { id: number; employer_id: number | null; employer_name: string | null }): EmployerRef[] {
  return entrantEmployers({ organisationId: entry.employer_id, name: entry.employer_name }, membersOfEntries(db, [entry.id]).get(entry.id));
}
