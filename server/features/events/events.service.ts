import { and, asc, count, eq, inArray, isNull, like, ne, type SQL } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../../db/client.ts';
import { competitions, entries, events, marks, objectiveValues, organisations, rounds } from '../../../db/schema.ts';
import type { CreateEventInput, CreateRoundInput, Event, Round, UpdateEventInput } from '../../contracts/events.ts';
import { conflict, invalid, notFound } from '../../errors.ts';
import { assertInScope, type StaffActor } from '../../plugins/auth.plugin.ts';
import { recordAudit, type Tx } from '../audit/audit.service.ts';
import { syncCompetitionStatus } from '../competitions/competition-status.ts';
import { assertCompetitionInScope } from '../scope.ts';

export type CompetitionRow = typeof competitions.$inferSelect;
export type EventRow = typeof events.$inferSelect;
export type RoundRow = typeof rounds.$inferSelect;

/** An event with the competition it belongs to and the owning organisation's path (its scope). */
export type EventContext = { event: EventRow; competition: CompetitionRow; orgPath: string };

/** What services that change rankings need from the app: the database and the live rankings. */
export type RankingDeps = Pick<FastifyInstance, 'db' | 'rankings'>;

/** Statuses that still count as taking part (for the entrant count and the draw). */
export const ACTIVE_STATUSES = ['registered', 'checked_in'] as const;

/** The round name used when an event is created without rounds: a single final. */
const DEFAULT_ROUND: CreateRoundInput = { name: '决赛', kind: 'final', carryOver: 'none', advancement: null, scheme: null };

/** A stored time as an ISO string for the wire (null stays null). */
export const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** A round as the API shows it. */
export function presentRound(row: RoundRow): Round {
  return {
    id: row.id,
    eventId: row.eventId,
    seq: row.seq,
    name: row.name,
    kind: row.kind,
    carryOver: row.carryOver,
    advancement: row.advancement ?? null,
    status: row.status,
    closedAt: iso(row.closedAt),
    scheme: row.scheme ?? null,
  };
}

/** An event as the API shows it; `belowMinimum` is a warning, never a refusal. */
export function presentEvent(row: EventRow, roundRows: RoundRow[], entrantCount: number): Event {
  return {
    id: row.id,
    competitionId: row.competitionId,
    name: row.name,
    occupationCode: row.occupationCode,
    occupationName: row.occupationName,
    targetLevel: row.targetLevel,
    mode: row.mode,
    minEntrants: row.minEntrants,
    entrantCount,
    belowMinimum: entrantCount < row.minEntrants,
    scheme: row.scheme,
    teamRanking: row.teamRanking ?? null,
    withdrawnRanking: row.withdrawnRanking,
    liveIncompleteOrder: row.liveIncompleteOrder,
    showDelegationsBeforeRelease: row.showDelegationsBeforeRelease,
    showCertaintyOnScreen: row.showCertaintyOnScreen,
    rounds: roundRows.map(presentRound),
    releasedAt: iso(row.releasedAt),
    createdAt: row.createdAt.toISOString(),
  };
}

/** The competition and its owner's path, or 404; 403 when it is outside the caller's scope (owner's subtree, co-organisation, duty). */
export function getCompetitionInScope(db: Db, actor: StaffActor, id: number): { competition: CompetitionRow; orgPath: string } {
  const row = db
    .select({ competition: competitions, orgPath: organisations.path })
    .from(competitions)
    .innerJoin(organisations, eq(organisations.id, competitions.orgId))
    .where(eq(competitions.id, id))
    .get();
  if (!row) throw notFound('Competition');
  assertCompetitionInScope(db, actor, row.competition.id, row.orgPath);
  return row;
}

/** The event with its competition, or 404. Scope is the caller's business (staff or judge). */
export function getEventContext(db: Tx, id: number): EventContext {
  const row = db
    .select({ event: events, competition: competitions, orgPath: organisations.path })
    .from(events)
    .innerJoin(competitions, eq(competitions.id, events.competitionId))
    .innerJoin(organisations, eq(organisations.id, competitions.orgId))
    .where(eq(events.id, id))
    .get();
  if (!row) throw notFound('Event');
  return row;
}

/** The event, or 404; and 403 when its competition is outside the caller's scope. */
export function getEventInScope(db: Db, actor: StaffActor, id: number): EventContext {
  const ctx = getEventContext(db, id);
  assertCompetitionInScope(db, actor, ctx.competition.id, ctx.orgPath);
  return ctx;
}

/** Whether any judge has marked anything, or any objective value was entered, in the event: from then on its set-up is frozen. */
export function eventHasMarks(tx: Tx, eventId: number): boolean {
  const marked = !!tx
    .select({ id: marks.id })
    .from(marks)
    .innerJoin(rounds, eq(rounds.id, marks.roundId))
    .where(eq(rounds.eventId, eventId))
    .limit(1)
    .get();
  return (
    marked ||
    !!tx
      .select({ id: objectiveValues.id })
      .from(objectiveValues)
      .innerJoin(rounds, eq(rounds.id, objectiveValues.roundId))
      .where(eq(rounds.eventId, eventId))
      .limit(1)
      .get()
  );
}

/**
 * Whether a round that uses the event's scheme (no scheme of its own) has marks or objective
 * values (theory scores, measurements; a completion time depends on no part): the event's scheme is
 * then frozen. A theory exam entered days before the practical fixes the scheme as marks do, or a
 * changed maximum or a removed part would re-score or orphan what staff entered.
 */
function eventSchemeHasMarks(tx: Tx, eventId: number): boolean {
  const marked = tx
    .select({ id: marks.id })
    .from(marks)
    .innerJoin(rounds, eq(rounds.id, marks.roundId))
    .where(and(eq(rounds.eventId, eventId), isNull(rounds.scheme)))
    .limit(1)
    .get();
  if (marked) return true;
  return !!tx
    .select({ id: objectiveValues.id })
    .from(objectiveValues)
    .innerJoin(rounds, eq(rounds.id, objectiveValues.roundId))
    .where(and(eq(rounds.eventId, eventId), isNull(rounds.scheme), ne(objectiveValues.field, 'completionTime')))
    .limit(1)
    .get();
}

/** The event's rounds in seq order. */
export function roundsOf(tx: Tx, eventId: number): RoundRow[] {
  return tx.select().from(rounds).where(eq(rounds.eventId, eventId)).orderBy(asc(rounds.seq)).all();
}

/** The round new entries join: the lowest seq (1 unless the first round was deleted while empty). */
export function firstRound(tx: Tx, eventId: number): RoundRow | undefined {
  return tx.select().from(rounds).where(eq(rounds.eventId, eventId)).orderBy(asc(rounds.seq)).limit(1).get();
}

function entrantCounts(tx: Tx, eventIds: number[]): Map<number, number> {
  if (eventIds.length === 0) return new Map();
  const rows = tx
    .select({ eventId: entries.eventId, n: count() })
    .from(entries)
    .where(and(inArray(entries.eventId, eventIds), inArray(entries.status, [...ACTIVE_STATUSES])))
    .groupBy(entries.eventId)
    .all();
  return new Map(rows.map((r) => [r.eventId, r.n]));
}

/** The event as the API shows it: with its rounds and entrant count. */
export function loadEvent(tx: Tx, row: EventRow): Event {
  return presentEvent(row, roundsOf(tx, row.id), entrantCounts(tx, [row.id]).get(row.id) ?? 0);
}

/** One event for any staff member in scope. */
export function getEvent(db: Db, actor: StaffActor, id: number): Event {
  return loadEvent(db, getEventInScope(db, actor, id).event);
}

/** A competition's events, a page at a time, for any staff member in scope. */
export function listEvents(db: Db, actor: StaffActor, competitionId: number, q: { q?: string; page: number; pageSize: number }) {
  getCompetitionInScope(db, actor, competitionId);
  const where: SQL[] = [eq(events.competitionId, competitionId)];
  if (q.q) where.push(like(events.name, `%${q.q}%`));
  const cond = and(...where);
  const rows = db
    .select()
    .from(events)
    .where(cond)
    .orderBy(asc(events.id))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .all();
  const ids = rows.map((r) => r.id);
  const counts = entrantCounts(db, ids);
  const allRounds = ids.length ? db.select().from(rounds).where(inArray(rounds.eventId, ids)).orderBy(asc(rounds.seq)).all() : [];
  const total = db.select({ n: count() }).from(events).where(cond).get()?.n ?? 0;
  return {
    items: rows.map((r) => presentEvent(r, allRounds.filter((x) => x.eventId === r.id), counts.get(r.id) ?? 0)),
    total,
    page: q.page,
    pageSize: q.pageSize,
  };
}

/**
 * 400 when an occupation code comes without its name: a promotion's certificate needs both. A name
 * alone is fine (a contest named after a trade without a code), and so is neither (not a trade).
 */
function assertOccupationComplete(code: string | null, name: string | null): void {
  if (code !== null && name === null) throw invalid('body.occupationName', 'an event with an occupation code needs the occupation name');
}

/** Creates the event and its rounds (one final '决赛' unless the body lists rounds). */
export function createEvent(db: Db, actor: StaffActor, competitionId: number, input: CreateEventInput): Event {
  const { competition } = getCompetitionInScope(db, actor, competitionId);
  assertOccupationComplete(input.occupationCode, input.occupationName);
  const { rounds: roundInputs, ...fields } = input;
  return db.transaction((tx) => {
    const row = tx
      .insert(events)
      .values({ ...fields, competitionId })
      .returning()
      .get();
    const roundRows = (roundInputs ?? [DEFAULT_ROUND]).map((r, i) =>
      tx
        .insert(rounds)
        .values({ ...r, eventId: row.id, seq: i + 1 })
        .returning()
        .get(),
    );
    recordAudit(tx, actor, {
      action: 'event.create',
      entityType: 'event',
      entityId: row.id,
      orgId: competition.orgId,
      after: { ...row, rounds: roundRows },
    });
    // A new event has open rounds: a competition whose marking had closed is running again.
    syncCompetitionStatus(tx, actor, competitionId);
    return presentEvent(row, roundRows, 0);
  });
}

/** JSON with sorted keys, so two equal schemes compare equal whatever order their keys came in. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

/**
 * Changes an event. The scheme is frozen once a round that uses it has marks: marks were given
 * against it, and changing parts or weights afterwards would silently re-score them. Resending the
 * same scheme is fine; rounds with a scheme of their own do not freeze the event's.
 */
export function updateEvent(deps: RankingDeps, actor: StaffActor, id: number, patch: UpdateEventInput): Event {
  const { db } = deps;
  const { event: before, competition } = getEventInScope(db, actor, id);
  assertOccupationComplete(
    patch.occupationCode !== undefined ? patch.occupationCode : before.occupationCode,
    patch.occupationName !== undefined ? patch.occupationName : before.occupationName,
  );
  const result = db.transaction(
    (tx) => {
      if (patch.scheme && canonicalJson(patch.scheme) !== canonicalJson(before.scheme) && eventSchemeHasMarks(tx, id))
        throw conflict('marks_exist', 'The scoring scheme cannot change once marks or objective values (theory scores) have been entered');
      if (Object.keys(patch).length === 0) return loadEvent(tx, before);
      const row = tx.update(events).set(patch).where(eq(events.id, id)).returning().get();
      recordAudit(tx, actor, { action: 'event.update', entityType: 'event', entityId: id, orgId: competition.orgId, before, after: row });
      return loadEvent(tx, row);
    },
    { behavior: 'immediate' },
  );
  deps.rankings.invalidate(id);
  return result;
}

/** Deletes an event with everything registered for it, but never one that has marks. */
export function deleteEvent(deps: RankingDeps, actor: StaffActor, id: number): void {
  const { db } = deps;
  const { event: before, competition } = getEventInScope(db, actor, id);
  db.transaction(
    (tx) => {
      if (eventHasMarks(tx, id)) throw conflict('marks_exist', 'An event with marks cannot be deleted');
      // Rounds, entries, round entries and judges (and their sessions) go with it by cascade.
      tx.delete(events).where(eq(events.id, id)).run();
      recordAudit(tx, actor, { action: 'event.delete', entityType: 'event', entityId: id, orgId: competition.orgId, before });
      syncCompetitionStatus(tx, actor, competition.id);
    },
    { behavior: 'immediate' },
  );
  // Drops the cached live ranking of the deleted event.
  deps.rankings.invalidate(id);
}
