import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { paperEntries, paperSettlements, rounds } from '../../../db/schema.ts';

export type PaperEntryRow = typeof paperEntries.$inferSelect;
export type PaperSettlementRow = typeof paperSettlements.$inferSelect;
/** One paper-sheet slot: a criterion of a part of one judge's sheet for one contestant in one round. */
export type Slot = { roundId: number; entryId: number; judgeId: number; partId: string; criterionId: string };

export const slotKey = (s: Slot) => `${s.roundId}:${s.entryId}:${s.judgeId}:${s.partId}:${s.criterionId}`;

/** Values typed from the same paper agree when they are the same number (tolerant of float noise). */
export const sameValue = (a: number, b: number) => Math.abs(a - b) < 1e-9;

export function entriesByKey(db: Db, key: string): PaperEntryRow[] {
  return db.select().from(paperEntries).where(eq(paperEntries.idempotencyKey, key)).orderBy(asc(paperEntries.id)).all();
}

/** Every entry of one judge's sheet for one contestant in a round, oldest first. */
export function sheetEntries(db: Db, roundId: number, entryId: number, judgeId: number): PaperEntryRow[] {
  return db
    .select()
    .from(paperEntries)
    .where(and(eq(paperEntries.roundId, roundId), eq(paperEntries.entryId, entryId), eq(paperEntries.judgeId, judgeId)))
    .orderBy(asc(paperEntries.id))
    .all();
}

export function sheetSettlements(db: Db, roundId: number, entryId: number, judgeId: number): PaperSettlementRow[] {
  return db
    .select()
    .from(paperSettlements)
    .where(and(eq(paperSettlements.roundId, roundId), eq(paperSettlements.entryId, entryId), eq(paperSettlements.judgeId, judgeId)))
    .all();
}

/** Paper entries and settlements of an event's rounds (optionally one round). */
export function eventPaper(db: Db, eventId: number, roundId?: number): { entries: PaperEntryRow[]; settlements: PaperSettlementRow[] } {
  const roundIds = db
    .select({ id: rounds.id })
    .from(rounds)
    .where(roundId ? and(eq(rounds.eventId, eventId), eq(rounds.id, roundId)) : eq(rounds.eventId, eventId))
    .all()
    .map((r) => r.id);
  if (roundIds.length === 0) return { entries: [], settlements: [] };
  return {
    entries: db.select().from(paperEntries).where(inArray(paperEntries.roundId, roundIds)).orderBy(asc(paperEntries.id)).all(),
    settlements: db.select().from(paperSettlements).where(inArray(paperSettlements.roundId, roundIds)).all(),
  };
}

/** Groups entries by slot, keeping insertion (entry) order. */
export function groupBySlot(rows: PaperEntryRow[]): Map<string, PaperEntryRow[]> {
  const map = new Map<string, PaperEntryRow[]>();
  for (const r of rows) {
    const key = slotKey(r);
    const list = map.get(key);
    if (list) list.push(r);
    else map.set(key, [r]);
  }
  return map;
}

/** Slots with two entries that differ and no settlement yet. */
export function openDisputeCount(db: Db, eventId: number, roundId?: number): number {
  const { entries, settlements } = eventPaper(db, eventId, roundId);
  const settled = new Set(settlements.map(slotKey));
  let n = 0;
  for (const [key, list] of groupBySlot(entries)) {
    if (list.length >= 2 && !sameValue(list[0]!.value, list[1]!.value) && !settled.has(key)) n++;
  }
  return n;
}
