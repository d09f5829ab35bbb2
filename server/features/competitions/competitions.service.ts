import { and, count, desc, eq, like, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { competitions, entries, events, organisations } from '../../../db/schema.ts';
import {
  datesInOrder,
  END_BEFORE_START,
  MANUAL_COMPETITION_STATUSES,
  nextCompetitionStatus,
  type Competition,
  type CompetitionStatus,
  type CreateCompetitionInput,
  type ListCompetitionsQuery,
  type UpdateCompetitionInput,
} from '../../contracts/competitions.ts';
import { conflict, invalid, notFound } from '../../errors.ts';
import { assertInScope, type StaffActor } from '../../plugins/auth.plugin.ts';
import { organisationForField } from '../organisations/organisations.service.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { syncCompetitionStatus } from './competition-status.ts';

type CompetitionRow = typeof competitions.$inferSelect;
type Counts = { eventCount: number; entryCount: number };

// Correlated subqueries, so a page of competitions costs one query however many events they hold.
const eventCount = sql<number>`(select count(*) from ${events} where ${events.competitionId} = ${competitions.id})`;
const entryCount = sql<number>`(select count(*) from ${entries} inner join ${events} on ${events.id} = ${entries.eventId}
  where ${events.competitionId} = ${competitions.id})`;
const withCounts = { competition: competitions, orgPath: organisations.path, eventCount, entryCount };

/** The wire form of a competition with how many events and entries it has. */
export function presentCompetition(row: CompetitionRow, counts: Counts): Competition {
  return {
    id: row.id,
    orgId: row.orgId,
    name: row.name,
    grade: row.grade,
    competitionClass: row.competitionClass,
    year: row.year,
    organisers: row.organisers,
    hosts: row.hosts,
    venue: row.venue,
    startDate: row.startDate,
    endDate: row.endDate,
    status: row.status,
    eventCount: counts.eventCount,
    entryCount: counts.entryCount,
    createdAt: row.createdAt.toISOString(),
  };
}

/** The competition with its counts, or 404; and 403 when its owner is outside the caller's subtree. */
export function getCompetitionInScope(db: Db, actor: StaffActor, id: number): { row: CompetitionRow; counts: Counts } {
  const found = db
    .select(withCounts)
    .from(competitions)
    .innerJoin(organisations, eq(organisations.id, competitions.orgId))
    .where(eq(competitions.id, id))
    .get();
  if (!found) throw notFound('Competition');
  assertInScope(actor, found.orgPath);
  return { row: found.competition, counts: { eventCount: found.eventCount, entryCount: found.entryCount } };
}

/** Competitions owned in the caller's subtree, newest year first, filtered and paged. */
export function listCompetitions(db: Db, actor: StaffActor, q: ListCompetitionsQuery) {
  const where: SQL[] = [like(organisations.path, `${actor.orgPath}%`)];
  if (q.grade) where.push(eq(competitions.grade, q.grade));
  if (q.status) where.push(eq(competitions.status, q.status));
  if (q.year) where.push(eq(competitions.year, q.year));
  if (q.orgId) where.push(eq(competitions.orgId, q.orgId));
  if (q.q) where.push(like(competitions.name, `%${q.q}%`));
  const cond = and(...where);
  const rows = db
    .select(withCounts)
    .from(competitions)
    .innerJoin(organisations, eq(organisations.id, competitions.orgId))
    .where(cond)
    .orderBy(desc(competitions.year), desc(competitions.id))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .all();
  const total =
    db
      .select({ n: count() })
      .from(competitions)
      .innerJoin(organisations, eq(organisations.id, competitions.orgId))
      .where(cond)
      .get()?.n ?? 0;
  const items = rows.map((r) => presentCompetition(r.competition, { eventCount: r.eventCount, entryCount: r.entryCount }));
  return { items, total, page: q.page, pageSize: q.pageSize };
}

/** Creates a competition in draft, owned by an organisation of the caller's subtree. */
export function createCompetition(db: Db, actor: StaffActor, input: CreateCompetitionInput): Competition {
  const orgId = input.orgId ?? actor.orgId;
  organisationForField(db, actor, orgId, 'body.orgId');
  if (!datesInOrder(input.startDate, input.endDate)) throw invalid('body.endDate', END_BEFORE_START);
  return db.transaction((tx) => {
    const row = tx
      .insert(competitions)
      .values({
        orgId,
        name: input.name,
        grade: input.grade,
        competitionClass: input.competitionClass ?? null,
        year: input.year,
        organisers: input.organisers,
        hosts: input.hosts ?? [],
        venue: input.venue ?? null,
        startDate: input.startDate ?? null,
        endDate: input.endDate ?? null,
      })
      .returning()
      .get();
    recordAudit(tx, actor, { action: 'competition.create', entityType: 'competition', entityId: row.id, orgId: row.orgId, after: row });
    return presentCompetition(row, { eventCount: 0, entryCount: 0 });
  });
}

/** Changes a competition's details; the status moves only through `changeCompetitionStatus`. */
export function updateCompetition(db: Db, actor: StaffActor, id: number, patch: UpdateCompetitionInput): Competition {
  const { row: before, counts } = getCompetitionInScope(db, actor, id);
  if (patch.orgId !== undefined) organisationForField(db, actor, patch.orgId, 'body.orgId');
  // A patch may carry one date only: check it against the stored other one.
  const startDate = patch.startDate === undefined ? before.startDate : patch.startDate;
  const endDate = patch.endDate === undefined ? before.endDate : patch.endDate;
  if (!datesInOrder(startDate, endDate)) throw invalid('body.endDate', END_BEFORE_START);
  if (Object.values(patch).every((v) => v === undefined)) return presentCompetition(before, counts);

  return db.transaction((tx) => {
    // Drizzle leaves undefined keys out of the update; null clears a field.
    const row = tx.update(competitions).set(patch).where(eq(competitions.id, id)).returning().get();
    recordAudit(tx, actor, { action: 'competition.update', entityType: 'competition', entityId: id, orgId: row.orgId, before, after: row });
    return presentCompetition(row, counts);
  });
}

/**
 * Moves the competition one step along draft → registration → running. Anything else, including
 * going back, is 409 `invalid_transition`; the later statuses (marking_closed, results_published,
 * final) follow the events (syncCompetitionStatus) and a request for one is 409 `status_follows_events`.
 */
export function changeCompetitionStatus(db: Db, actor: StaffActor, id: number, to: CompetitionStatus): Competition {
  const { row: before, counts } = getCompetitionInScope(db, actor, id);
  const from = before.status;
  if (nextCompetitionStatus(from) !== to) {
    const allowed = nextCompetitionStatus(from);
    throw conflict(
      'invalid_transition',
      `A competition cannot move from ${from} to ${to}; ${allowed ? `the next status is ${allowed}` : `${from} is the last status`}`,
    );
  }
  if (!MANUAL_COMPETITION_STATUSES.includes(to))
    throw conflict(
      'status_follows_events',
      `From running on, the status follows the events: marking_closed when every round is closed, results_published when every event is released, final when every event is final`,
    );
  return db.transaction((tx) => {
    tx.update(competitions).set({ status: to }).where(eq(competitions.id, id)).run();
    recordAudit(tx, actor, {
      action: 'competition.status',
      entityType: 'competition',
      entityId: id,
      orgId: before.orgId,
      before,
      after: { ...before, status: to },
    });
    // Events may already be closed or released (set up before the start): the status follows them at once.
    syncCompetitionStatus(tx, actor, id);
    const row = tx.select().from(competitions).where(eq(competitions.id, id)).get()!;
    return presentCompetition(row, counts);
  });
}

/** Deletes a draft competition (its events go with it); once registration opens, others rely on it. */
export function deleteCompetition(db: Db, actor: StaffActor, id: number): void {
  const { row: before } = getCompetitionInScope(db, actor, id);
  if (before.status !== 'draft') {
    throw conflict('competition_not_draft', `Only a draft competition can be deleted; this one is ${before.status}`);
  }
  db.transaction((tx) => {
    tx.delete(competitions).where(eq(competitions.id, id)).run();
    recordAudit(tx, actor, { action: 'competition.delete', entityType: 'competition', entityId: id, orgId: before.orgId, before });
  });
}
