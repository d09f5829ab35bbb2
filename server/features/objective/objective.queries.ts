import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { accounts, entries, judgeAssignments, judges, objectiveDoubleEntries, objectiveValues, people, roundEntries } from '../../../db/schema.ts';
import type { PanelRole } from '../../plugins/auth.plugin.ts';
import type { Tx } from '../audit/audit.service.ts';
import { entryDisplayName, membersOfEvent } from '../entries/members.ts';

export type ObjectiveValueRow = typeof objectiveValues.$inferSelect;
export type DoubleEntryRow = typeof objectiveDoubleEntries.$inferSelect;

/** One cell of the grid: a field of one contestant in one round. */
export type Slot = { roundId: number; entryId: number; field: string };
export const slotKey = (s: Slot) => `${s.roundId}:${s.entryId}:${s.field}`;

/** Values typed from the same paper agree when they are the same number (tolerant of float noise). */
export const sameValue = (a: number | null, b: number | null) => (a === null || b === null ? a === b : Math.abs(a - b) < 1e-9);

/** The event's entries with their drawn number, status, name and ID number (names are filtered by the caller). */
export function eventEntries(db: Tx, eventId: number) {
  // A team or pair goes by its team name (or "甲、乙"); its ID number is the captain's.
  const members = membersOfEvent(db, eventId);
  return db
    .select({ id: entries.id, number: entries.drawnNumber, status: entries.status, name: people.name, idNumber: people.idNumber, teamName: entries.teamName })
    .from(entries)
    .innerJoin(people, eq(people.id, entries.personId))
    .where(eq(entries.eventId, eventId))
    .all()
    .map(({ teamName, ...e }) => ({ ...e, name: entryDisplayName(e.name, teamName, members.get(e.id)) }));
}

/** Entry ids of a round's members. */
export function roundMembers(db: Tx, roundId: number): Set<number> {
  return new Set(
    db
      .select({ entryId: roundEntries.entryId })
      .from(roundEntries)
      .where(eq(roundEntries.roundId, roundId))
      .all()
      .map((r) => r.entryId),
  );
}

/** Every version of every cell of a round, oldest first; `current` keeps the highest version per slot. */
export function roundValues(db: Tx, roundId: number): { all: ObjectiveValueRow[]; current: Map<string, ObjectiveValueRow> } {
  const all = db.select().from(objectiveValues).where(eq(objectiveValues.roundId, roundId)).orderBy(asc(objectiveValues.version), asc(objectiveValues.id)).all();
  const current = new Map<string, ObjectiveValueRow>();
  for (const v of all) current.set(slotKey(v), v);
  return { all, current };
}

/** A round's double entries grouped by slot, oldest first. */
export function roundDoubleEntries(db: Tx, roundId: number): Map<string, DoubleEntryRow[]> {
  const map = new Map<string, DoubleEntryRow[]>();
  for (const d of db.select().from(objectiveDoubleEntries).where(eq(objectiveDoubleEntries.roundId, roundId)).orderBy(asc(objectiveDoubleEntries.id)).all()) {
    const key = slotKey(d);
    const list = map.get(key);
    if (list) list.push(d);
    else map.set(key, [d]);
  }
  return map;
}

/** The current version of one cell, if any. */
export function currentValue(db: Tx, slot: Slot): ObjectiveValueRow | undefined {
  return db
    .select()
    .from(objectiveValues)
    .where(and(eq(objectiveValues.roundId, slot.roundId), eq(objectiveValues.entryId, slot.entryId), eq(objectiveValues.field, slot.field)))
    .orderBy(asc(objectiveValues.version))
    .all()
    .at(-1);
}

/** Display names of the accounts and panel members who entered values, panel members with their role in the event. */
export function enteredByNames(db: Tx, eventId: number, rows: { accountId: number | null; judgeId: number | null }[]) {
  const accountIds = [...new Set(rows.map((r) => r.accountId).filter((x): x is number => x != null))];
  const judgeIds = [...new Set(rows.map((r) => r.judgeId).filter((x): x is number => x != null))];
  const accountRows = accountIds.length
    ? db.select({ id: accounts.id, name: accounts.displayName, role: accounts.role }).from(accounts).where(inArray(accounts.id, accountIds)).all()
    : [];
  const judgeRows = judgeIds.length
    ? db
        .select({ id: judges.id, name: judges.name, role: sql<PanelRole>`coalesce(${judgeAssignments.role}, 'judge')` })
        .from(judges)
        .leftJoin(judgeAssignments, and(eq(judgeAssignments.judgeId, judges.id), eq(judgeAssignments.eventId, eventId)))
        .where(inArray(judges.id, judgeIds))
        .all()
    : [];
  return {
    accounts: new Map(accountRows.map((a) => [a.id, a])),
    judges: new Map(judgeRows.map((j) => [j.id, j])),
  };
}
