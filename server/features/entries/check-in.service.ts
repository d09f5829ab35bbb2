import { and, eq, inArray } from 'drizzle-orm';
import { entries, people } from '../../../db/schema.ts';
import type { CheckInBatchInput, CheckInBatchResult } from '../../contracts/entries.ts';
import { maskResidentId, parseResidentId } from '../../domain/resident-id.ts';
import type { StaffActor } from '../../plugins/auth.plugin.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { ACTIVE_STATUSES, getEventInScope, type RankingDeps } from '../events/events.service.ts';
import { entryDisplayName, membersOfEvent } from './members.ts';

/** Statuses an entrant is checked in from: registered, or marked absent and turning up after all. */
const CHECKABLE = new Set(['registered', 'absent']);

/** A drawn number has at most six digits (work positions may start at 100 000 at most). */
const NUMBER = /^\d{1,6}$/;

/** What one typed or scanned item names: a drawn number, an ID number, or nothing usable. */
function readItem(raw: string): { kind: 'number'; number: number } | { kind: 'id_number'; idNumber: string } | { kind: 'invalid' } {
  // Card readers and Chinese input methods may send full-width digits; NFKC folds them.
  const text = raw.normalize('NFKC').replace(/\s/g, '').toUpperCase();
  if (NUMBER.test(text)) return { kind: 'number', number: Number(text) };
  const parsed = parseResidentId(text);
  return parsed.ok ? { kind: 'id_number', idNumber: parsed.value.idNumber } : { kind: 'invalid' };
}

/**
 * Checks in the entrants named by drawn number or resident ID number, in order, in one
 * transaction. Each recognised entrant is checked in at once and reported with their number and
 * name; unknown, malformed and repeated items are reported too. Idempotent: an entrant already
 * checked in is reported as such and left alone, so a batch sent twice (a retry after a dropped
 * connection) changes nothing the second time. One audit row per entrant checked in, as for a
 * single check-in.
 */
export function checkInBatch(deps: RankingDeps, actor: StaffActor, eventId: number, input: CheckInBatchInput): CheckInBatchResult {
  const { db } = deps;
  const ctx = getEventInScope(db, actor, eventId);
  const items = input.items.map((raw) => ({ raw, item: readItem(raw) }));

  const result = db.transaction(
    (tx) => {
      const rows = tx
        .select({ entry: entries, name: people.name, idNumber: people.idNumber })
        .from(entries)
        .innerJoin(people, eq(people.id, entries.personId))
        .where(eq(entries.eventId, eventId))
        .all();
      // A team or pair checks in as one entrant, by its number or any member's ID card, under its name.
      const members = membersOfEvent(tx, eventId);
      for (const r of rows) r.name = entryDisplayName(r.name, r.entry.teamName, members.get(r.entry.id));
      const byNumber = new Map(rows.filter((r) => r.entry.drawnNumber !== null).map((r) => [r.entry.drawnNumber!, r]));
      const byIdNumber = new Map(rows.map((r) => [r.idNumber, r]));
      for (const r of rows) for (const m of members.get(r.entry.id) ?? []) byIdNumber.set(m.idNumber, { ...r, idNumber: m.idNumber });
      const seen = new Set<number>();
      const toCheckIn: number[] = [];

      const results: CheckInBatchResult['results'] = items.map(({ raw, item }) => {
        const none = { input: raw, matchedBy: null, entryId: null, drawnNumber: null, name: null, idNumber: null, status: null };
        if (item.kind === 'invalid') return { ...none, outcome: 'invalid' as const };
        const row = item.kind === 'number' ? byNumber.get(item.number) : byIdNumber.get(item.idNumber);
        if (!row) return { ...none, outcome: 'unknown' as const, matchedBy: item.kind };
        const found = {
          input: raw,
          matchedBy: item.kind,
          entryId: row.entry.id,
          drawnNumber: row.entry.drawnNumber,
          name: row.name,
          idNumber: maskResidentId(row.idNumber),
        };
        if (seen.has(row.entry.id)) return { ...found, outcome: 'duplicate' as const, status: row.entry.status };
        seen.add(row.entry.id);
        if (row.entry.status === 'checked_in') return { ...found, outcome: 'already_checked_in' as const, status: row.entry.status };
        if (!CHECKABLE.has(row.entry.status)) return { ...found, outcome: 'not_checkable' as const, status: row.entry.status };
        toCheckIn.push(row.entry.id);
        return { ...found, outcome: 'checked_in' as const, status: 'checked_in' };
      });
      // A duplicate reports the status the batch leaves the entrant in.
      for (const r of results) if (r.outcome === 'duplicate' && r.entryId !== null && toCheckIn.includes(r.entryId)) r.status = 'checked_in';

      if (toCheckIn.length) {
        tx.update(entries).set({ status: 'checked_in', disqualifiedReason: null }).where(inArray(entries.id, toCheckIn)).run();
        const before = new Map(rows.map((r) => [r.entry.id, r.entry]));
        for (const id of toCheckIn) {
          const was = before.get(id)!;
          recordAudit(tx, actor, {
            action: 'entry.check_in',
            entityType: 'entry',
            entityId: id,
            orgId: ctx.competition.orgId,
            before: { status: was.status },
            after: { status: 'checked_in' },
          });
        }
      }
      const statuses = tx
        .select({ status: entries.status })
        .from(entries)
        .where(and(eq(entries.eventId, eventId), inArray(entries.status, [...ACTIVE_STATUSES])))
        .all();
      return {
        results,
        checkedIn: toCheckIn.length,
        totals: { checkedIn: statuses.filter((s) => s.status === 'checked_in').length, active: statuses.length },
      };
    },
    { behavior: 'immediate' },
  );
  // Checked-in entrants enter the live ranking (and the judges' lists).
  if (result.checkedIn > 0) deps.rankings.invalidate(eventId);
  return result;
}
