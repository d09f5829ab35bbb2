import { and, asc, count, desc, eq, inArray, like, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { accounts, competitionCoOrganisers, competitionOfficers, competitions, entries, events, organisations } from '../../../db/schema.ts';
import {
  datesInOrder,
  type CoOrganiser,
  type CompetitionOfficer,
  END_BEFORE_START,
  MANUAL_COMPETITION_STATUSES,
  nextCompetitionStatus,
  type Competition,
  type CompetitionStatus,
  type CreateCompetitionInput,
  type ListCompetitionsQuery,
  type UpdateCompetitionInput,
} from '../../contracts/competitions.ts';
import { regionPrefix } from '../../domain/regions.ts';
import { AppError, conflict, invalid, notFound } from '../../errors.ts';
import { type StaffActor } from '../../plugins/auth.plugin.ts';
import { organisationForField } from '../organisations/organisations.service.ts';
import { recordAudit, type Tx } from '../audit/audit.service.ts';
import { assertCompetitionInScope, competitionsInScope } from '../scope.ts';
import { syncCompetitionStatus } from './competition-status.ts';

type CompetitionRow = typeof competitions.$inferSelect;
type Counts = { eventCount: number; entryCount: number };
type OrgRow = typeof organisations.$inferSelect;
/** Who co-organises a competition and who keeps its draw. */
type Bodies = { coOrganisers: CoOrganiser[]; encryptionOfficers: CompetitionOfficer[] };

// Correlated subqueries, so a page of competitions costs one query however many events they hold.
const eventCount = sql<number>`(select count(*) from ${events} where ${events.competitionId} = ${competitions.id})`;
const entryCount = sql<number>`(select count(*) from ${entries} inner join ${events} on ${events.id} = ${entries.eventId}
  where ${events.competitionId} = ${competitions.id})`;
const withCounts = { competition: competitions, orgPath: organisations.path, eventCount, entryCount };

/** Co-organisers and encryption officers of the given competitions, in one query each. */
export function bodiesOf(db: Db | Tx, competitionIds: number[]): Map<number, Bodies> {
  const out = new Map<number, Bodies>(competitionIds.map((id) => [id, { coOrganisers: [], encryptionOfficers: [] }]));
  if (competitionIds.length === 0) return out;
  for (const r of db
    .select({ competitionId: competitionCoOrganisers.competitionId, org: organisations })
    .from(competitionCoOrganisers)
    .innerJoin(organisations, eq(organisations.id, competitionCoOrganisers.orgId))
    .where(inArray(competitionCoOrganisers.competitionId, competitionIds))
    .orderBy(asc(organisations.id))
    .all())
    out.get(r.competitionId)!.coOrganisers.push({ id: r.org.id, name: r.org.name, kind: r.org.kind, regionCode: r.org.regionCode });
  for (const r of db
    .select({ competitionId: competitionOfficers.competitionId, accountId: accounts.id, username: accounts.username, displayName: accounts.displayName, orgName: organisations.name })
    .from(competitionOfficers)
    .innerJoin(accounts, eq(accounts.id, competitionOfficers.accountId))
    .innerJoin(organisations, eq(organisations.id, accounts.orgId))
    .where(and(inArray(competitionOfficers.competitionId, competitionIds), eq(competitionOfficers.duty, 'encryption_officer')))
    .orderBy(asc(accounts.id))
    .all())
    out.get(r.competitionId)!.encryptionOfficers.push({ accountId: r.accountId, username: r.username, displayName: r.displayName, orgName: r.orgName });
  return out;
}

/** The wire form of a competition with how many events and entries it has. */
export function presentCompetition(row: CompetitionRow, counts: Counts, bodies: Bodies): Competition {
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
    coOrganisers: bodies.coOrganisers,
    encryptionOfficers: bodies.encryptionOfficers,
    publicityDays: row.publicityDays,
    appealRule: row.appealRule,
    appealWindowHours: row.appealWindowHours,
    eventCount: counts.eventCount,
    entryCount: counts.entryCount,
    createdAt: row.createdAt.toISOString(),
  };
}

/**
 * The competition with its counts, or 404; and 403 when it is outside the caller's scope (owned
 * in their subtree, co-organised by their body, or theirs by duty).
 */
export function getCompetitionInScope(db: Db, actor: StaffActor, id: number): { row: CompetitionRow; counts: Counts; orgPath: string } {
  const found = db
    .select(withCounts)
    .from(competitions)
    .innerJoin(organisations, eq(organisations.id, competitions.orgId))
    .where(eq(competitions.id, id))
    .get();
  if (!found) throw notFound('Competition');
  assertCompetitionInScope(db, actor, id, found.orgPath);
  return { row: found.competition, counts: { eventCount: found.eventCount, entryCount: found.entryCount }, orgPath: found.orgPath };
}

/** One competition as the API shows it. */
export function loadCompetition(db: Db | Tx, row: CompetitionRow, counts: Counts): Competition {
  return presentCompetition(row, counts, bodiesOf(db, [row.id]).get(row.id)!);
}

/** Competitions in the caller's scope (owned in their subtree, co-organised, by duty), newest year first, filtered and paged. */
export function listCompetitions(db: Db, actor: StaffActor, q: ListCompetitionsQuery) {
  const where: SQL[] = [competitionsInScope(actor, competitions.id, organisations.path)];
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
  const bodies = bodiesOf(db, rows.map((r) => r.competition.id));
  const items = rows.map((r) => presentCompetition(r.competition, { eventCount: r.eventCount, entryCount: r.entryCount }, bodies.get(r.competition.id)!));
  return { items, total, page: q.page, pageSize: q.pageSize };
}

const LEVELS = ['national', 'province', 'city', 'county', 'township', 'enterprise'] as const;

/**
 * Whether `org` may co-organise a competition owned by `owner`: a union, HR bureau or department,
 * not the owner, whose region covers the owner's (the county HR bureau for a county union's
 * competition, or the city's), at the owner's level or above: townships and parks run (承办) a
 * county's competition, they do not host it.
 */
function mayCoOrganise(owner: OrgRow, org: OrgRow): boolean {
  if (org.id === owner.id || !['union', 'hr_bureau', 'department'].includes(org.kind)) return false;
  if (!owner.regionCode.startsWith(regionPrefix(org.regionCode, org.level))) return false;
  return !owner.level || !org.level || LEVELS.indexOf(org.level) <= LEVELS.indexOf(owner.level);
}

/**
 * The bodies named as co-organisers: each must exist and qualify (`mayCoOrganise`). 400 naming each
 * bad item. One that does not qualify is answered like one that does not exist, without its name:
 * the id may be any organisation's, and the candidates list already shows those that qualify.
 */
function checkCoOrganisers(db: Db, owner: OrgRow, ids: number[]): OrgRow[] {
  const rows = ids.length ? db.select().from(organisations).where(inArray(organisations.id, ids)).all() : [];
  const problems: { field: string; message: string }[] = [];
  const found: OrgRow[] = [];
  ids.forEach((id, i) => {
    const org = rows.find((r) => r.id === id);
    const field = `body.coOrganiserIds.${i}`;
    if (org?.id === owner.id) return problems.push({ field, message: `${org.name} owns the competition; list the other bodies` });
    if (!org || !mayCoOrganise(owner, org))
      return problems.push({ field, message: `no such body of the region of ${owner.name} at its level or above` });
    if (ids.indexOf(id) !== i) return problems.push({ field, message: `${org.name} is listed twice` });
    found.push(org);
  });
  if (problems.length) throw new AppError(400, 'co_organiser_invalid', problems.map((p) => p.message).join('; '), problems);
  return found;
}

/**
 * The accounts named as encryption officers: active staff of the owner's subtree or of a
 * co-organiser's. 400 naming each bad item; an account elsewhere is answered like one that does
 * not exist, without its name.
 */
function checkOfficers(db: Db, ownerPath: string, coOrganisers: OrgRow[], ids: number[]): void {
  const rows = ids.length
    ? db.select({ id: accounts.id, active: accounts.active, path: organisations.path, name: accounts.displayName }).from(accounts).innerJoin(organisations, eq(organisations.id, accounts.orgId)).where(inArray(accounts.id, ids)).all()
    : [];
  const roots = [ownerPath, ...coOrganisers.map((o) => o.path)];
  const problems: { field: string; message: string }[] = [];
  ids.forEach((id, i) => {
    const a = rows.find((r) => r.id === id);
    const field = `body.encryptionOfficerIds.${i}`;
    if (!a || !a.active || !roots.some((p) => a.path.startsWith(p))) problems.push({ field, message: 'no such active account among the staff of the organising bodies' });
    else if (ids.indexOf(id) !== i) problems.push({ field, message: `${a.name} is listed twice` });
  });
  if (problems.length) throw new AppError(400, 'officer_invalid', problems.map((p) => p.message).join('; '), problems);
}

/** Replaces the co-organisers and officers named in the input (undefined: unchanged). */
function writeBodies(tx: Tx, competitionId: number, input: { coOrganiserIds?: number[]; encryptionOfficerIds?: number[] }): void {
  if (input.coOrganiserIds) {
    tx.delete(competitionCoOrganisers).where(eq(competitionCoOrganisers.competitionId, competitionId)).run();
    for (const orgId of input.coOrganiserIds) tx.insert(competitionCoOrganisers).values({ competitionId, orgId }).run();
  }
  if (input.encryptionOfficerIds) {
    tx.delete(competitionOfficers).where(and(eq(competitionOfficers.competitionId, competitionId), eq(competitionOfficers.duty, 'encryption_officer'))).run();
    for (const accountId of input.encryptionOfficerIds) tx.insert(competitionOfficers).values({ competitionId, accountId, duty: 'encryption_officer' }).run();
  }
}

/** Creates a competition in draft, owned by an organisation of the caller's subtree. */
export function createCompetition(db: Db, actor: StaffActor, input: CreateCompetitionInput): Competition {
  const orgId = input.orgId ?? actor.orgId;
  const owner = organisationForField(db, actor, orgId, 'body.orgId');
  if (!datesInOrder(input.startDate, input.endDate)) throw invalid('body.endDate', END_BEFORE_START);
  const coOrganisers = checkCoOrganisers(db, owner, input.coOrganiserIds ?? []);
  checkOfficers(db, owner.path, coOrganisers, input.encryptionOfficerIds ?? []);
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
        ...(input.publicityDays !== undefined && { publicityDays: input.publicityDays }),
        ...(input.appealRule !== undefined && { appealRule: input.appealRule }),
        ...(input.appealWindowHours !== undefined && { appealWindowHours: input.appealWindowHours }),
      })
      .returning()
      .get();
    writeBodies(tx, row.id, input);
    const created = loadCompetition(tx, row, { eventCount: 0, entryCount: 0 });
    recordAudit(tx, actor, { action: 'competition.create', entityType: 'competition', entityId: row.id, orgId: row.orgId, after: created });
    return created;
  });
}

/** Changes a competition's details; the status moves only through `changeCompetitionStatus`. */
export function updateCompetition(db: Db, actor: StaffActor, id: number, input: UpdateCompetitionInput): Competition {
  const { row: before, counts } = getCompetitionInScope(db, actor, id);
  const { coOrganiserIds, encryptionOfficerIds, ...patch } = input;
  const owner = patch.orgId !== undefined ? organisationForField(db, actor, patch.orgId, 'body.orgId') : db.select().from(organisations).where(eq(organisations.id, before.orgId)).get()!;
  const beforeBodies = bodiesOf(db, [id]).get(id)!;
  // Check the lists as they will stand: a new owner must fit the kept co-organisers too.
  const coOrganisers = checkCoOrganisers(db, owner, coOrganiserIds ?? beforeBodies.coOrganisers.map((c) => c.id));
  if (encryptionOfficerIds) checkOfficers(db, owner.path, coOrganisers, encryptionOfficerIds);
  // A patch may carry one date only: check it against the stored other one.
  const startDate = patch.startDate === undefined ? before.startDate : patch.startDate;
  const endDate = patch.endDate === undefined ? before.endDate : patch.endDate;
  if (!datesInOrder(startDate, endDate)) throw invalid('body.endDate', END_BEFORE_START);
  if (Object.values(input).every((v) => v === undefined)) return presentCompetition(before, counts, beforeBodies);

  return db.transaction((tx) => {
    // Drizzle leaves undefined keys out of the update; null clears a field.
    const row = Object.values(patch).some((v) => v !== undefined) ? tx.update(competitions).set(patch).where(eq(competitions.id, id)).returning().get() : before;
    writeBodies(tx, id, { coOrganiserIds, encryptionOfficerIds });
    const after = loadCompetition(tx, row, counts);
    recordAudit(tx, actor, { action: 'competition.update', entityType: 'competition', entityId: id, orgId: row.orgId, before: { ...before, ...beforeBodies }, after });
    return after;
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
    return loadCompetition(tx, row, counts);
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

const KIND_ORDER = ['hr_bureau', 'department', 'union', 'employer'];

/**
 * Bodies that may co-organise a competition owned by `orgId` (default: the caller's organisation;
 * see `mayCoOrganise`), HR bureaus first and the nearest level first. The HR bureau is not in the
 * union's tree, so this is the one list that crosses the two lines.
 */
export function coOrganiserCandidates(db: Db, actor: StaffActor, orgId?: number): CoOrganiser[] {
  const owner = organisationForField(db, actor, orgId ?? actor.orgId, 'querystring.orgId');
  const level = (o: OrgRow) => (o.level ? LEVELS.indexOf(o.level) : LEVELS.length);
  return db
    .select()
    .from(organisations)
    .where(inArray(organisations.kind, ['union', 'hr_bureau', 'department']))
    .all()
    .filter((o) => mayCoOrganise(owner, o))
    .sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || level(b) - level(a) || a.id - b.id)
    .map((o) => ({ id: o.id, name: o.name, kind: o.kind, regionCode: o.regionCode }));
}

/** Active staff of the owner's and the co-organisers' subtrees: who may be named encryption officer. */
export function officerCandidates(db: Db, actor: StaffActor, competitionId: number): CompetitionOfficer[] {
  const { orgPath } = getCompetitionInScope(db, actor, competitionId);
  const co = bodiesOf(db, [competitionId]).get(competitionId)!.coOrganisers.map((c) => c.id);
  const coPaths = co.length ? db.select({ path: organisations.path }).from(organisations).where(inArray(organisations.id, co)).all().map((r) => r.path) : [];
  return db
    .select({ accountId: accounts.id, username: accounts.username, displayName: accounts.displayName, orgName: organisations.name })
    .from(accounts)
    .innerJoin(organisations, eq(organisations.id, accounts.orgId))
    .where(and(eq(accounts.active, true), or(...[orgPath, ...coPaths].map((p) => like(organisations.path, `${p}%`)))))
    .orderBy(asc(accounts.id))
    .all();
}
