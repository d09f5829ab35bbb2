import { and, asc, count, countDistinct, desc, eq, inArray, isNull, like, notInArray, or, sql, sum, type SQL } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { awardProposals, competitions, entries, events, judges, marks, organisations, personTitles, prizes, rounds, skillCertificates, titleTypes } from '../../../db/schema.ts';
import { ACTIVE_COMPETITION_STATUSES, type Dashboard } from '../../contracts/dashboard.ts';
import type { StaffActor } from '../../plugins/auth.plugin.ts';
import { certificatesReadBy } from '../certificates/certificates.service.ts';

/** How many competitions under way the dashboard lists. */
const ACTIVE_LIMIT = 20;

// Per-competition counts as correlated subqueries: the active list is short, each is an index lookup.
const eventsOf = sql<number>`(select count(*) from ${events} where ${events.competitionId} = ${competitions.id})`;
const entriesOf = (status?: string) =>
  sql<number>`(select count(*) from ${entries} inner join ${events} on ${events.id} = ${entries.eventId}
    where ${events.competitionId} = ${competitions.id} ${status ? sql`and ${entries.status} = ${status}` : sql``})`;
const judgesOf = sql<number>`(select count(*) from ${judges} where ${judges.competitionId} = ${competitions.id})`;
const marksOf = sql<number>`(select count(*) from ${marks} inner join ${rounds} on ${rounds.id} = ${marks.roundId}
  inner join ${events} on ${events.id} = ${rounds.eventId} where ${events.competitionId} = ${competitions.id} and ${marks.version} = 1)`;

/**
 * The organiser's overview of their organisation's subtree: competitions by grade and status,
 * and how many events, entrants, judges and marks they hold; optionally for one year.
 */
export function getDashboard(db: Db, actor: StaffActor, q: { year?: number }): Omit<Dashboard, 'selections'> {
  const inSubtree = like(organisations.path, `${actor.orgPath}%`);
  const where: SQL = q.year ? and(inSubtree, eq(competitions.year, q.year))! : inSubtree;

  const byGradeStatus = db
    .select({ grade: competitions.grade, status: competitions.status, n: count() })
    .from(competitions)
    .innerJoin(organisations, eq(organisations.id, competitions.orgId))
    .where(where)
    .groupBy(competitions.grade, competitions.status)
    .all();
  const byGrade: Dashboard['competitions']['byGrade'] = { A: 0, B: 0, C: 0 };
  const byStatus: Dashboard['competitions']['byStatus'] = {
    draft: 0,
    registration: 0,
    running: 0,
    marking_closed: 0,
    results_published: 0,
    final: 0,
  };
  for (const r of byGradeStatus) {
    byGrade[r.grade] += r.n;
    byStatus[r.status] += r.n;
  }

  const years = db
    .select({ year: competitions.year, count: count() })
    .from(competitions)
    .innerJoin(organisations, eq(organisations.id, competitions.orgId))
    .where(inSubtree)
    .groupBy(competitions.year)
    .orderBy(desc(competitions.year))
    .all();

  const eventCount =
    db
      .select({ n: count() })
      .from(events)
      .innerJoin(competitions, eq(competitions.id, events.competitionId))
      .innerJoin(organisations, eq(organisations.id, competitions.orgId))
      .where(where)
      .get()?.n ?? 0;

  const entryStatuses = db
    .select({ status: entries.status, n: count() })
    .from(entries)
    .innerJoin(events, eq(events.id, entries.eventId))
    .innerJoin(competitions, eq(competitions.id, events.competitionId))
    .innerJoin(organisations, eq(organisations.id, competitions.orgId))
    .where(where)
    .groupBy(entries.status)
    .all();
  const entrants = { total: 0, checkedIn: 0, absent: 0, disqualified: 0 };
  for (const r of entryStatuses) {
    entrants.total += r.n;
    if (r.status === 'checked_in') entrants.checkedIn += r.n;
    if (r.status === 'absent') entrants.absent += r.n;
    if (r.status === 'disqualified') entrants.disqualified += r.n;
  }

  const judgeCount =
    db
      .select({ n: count() })
      .from(judges)
      .innerJoin(competitions, eq(competitions.id, judges.competitionId))
      .innerJoin(organisations, eq(organisations.id, competitions.orgId))
      .where(where)
      .get()?.n ?? 0;

  const marksIn =
    db
      .select({ n: count() })
      .from(marks)
      .innerJoin(rounds, eq(rounds.id, marks.roundId))
      .innerJoin(events, eq(events.id, rounds.eventId))
      .innerJoin(competitions, eq(competitions.id, events.competitionId))
      .innerJoin(organisations, eq(organisations.id, competitions.orgId))
      .where(and(where, eq(marks.version, 1)))
      .get()?.n ?? 0;

  const active = db
    .select({
      c: competitions,
      events: eventsOf,
      entrants: entriesOf(),
      checkedIn: entriesOf('checked_in'),
      judges: judgesOf,
      marksIn: marksOf,
    })
    .from(competitions)
    .innerJoin(organisations, eq(organisations.id, competitions.orgId))
    .where(and(where, inArray(competitions.status, [...ACTIVE_COMPETITION_STATUSES])))
    // Soonest first; competitions without dates last.
    .orderBy(sql`${competitions.startDate} is null`, asc(competitions.startDate), desc(competitions.id))
    .limit(ACTIVE_LIMIT)
    .all();

  const org = db.select({ id: organisations.id, name: organisations.name }).from(organisations).where(eq(organisations.id, actor.orgId)).get();
  return {
    organisation: org ?? { id: actor.orgId, name: '' },
    year: q.year ?? null,
    competitions: { total: byGradeStatus.reduce((s, r) => s + r.n, 0), byGrade, byStatus },
    years,
    events: eventCount,
    entrants,
    judges: judgeCount,
    marksIn,
    active: active.map((r) => ({
      id: r.c.id,
      name: r.c.name,
      grade: r.c.grade,
      year: r.c.year,
      status: r.c.status,
      venue: r.c.venue,
      startDate: r.c.startDate,
      endDate: r.c.endDate,
      events: r.events,
      entrants: r.entrants,
      checkedIn: r.checkedIn,
      judges: r.judges,
      marksIn: r.marksIn,
    })),
    outcomes: outcomesOf(db, where),
    certificates: certificatesOf(db, actor, q.year),
  };
}

/** Where the competitions matching `where` (joined through their organisation) led. */
function outcomesOf(db: Db, where: SQL): Dashboard['outcomes'] {
  // The events of those competitions, once as a subquery: every figure below is about them.
  const eventIds = db
    .select({ id: events.id })
    .from(events)
    .innerJoin(competitions, eq(competitions.id, events.competitionId))
    .innerJoin(organisations, eq(organisations.id, competitions.orgId))
    .where(where);
  const finalists =
    db
      .select({ n: count() })
      .from(entries)
      .where(and(inArray(entries.eventId, eventIds), notInArray(entries.status, ['absent', 'reserve'])))
      .get()?.n ?? 0;
  const prizeRow = db
    .select({ winners: countDistinct(sql`coalesce('e' || ${prizes.entryId}, 'd' || ${prizes.delegationId})`), money: sum(prizes.moneyYuan) })
    .from(prizes)
    .where(inArray(prizes.eventId, eventIds))
    .get();
  const titles = db
    .select({ titleTypeId: titleTypes.id, name: titleTypes.name, level: titleTypes.level, count: count() })
    .from(personTitles)
    .innerJoin(titleTypes, eq(titleTypes.id, personTitles.titleTypeId))
    .innerJoin(awardProposals, eq(awardProposals.id, personTitles.proposalId))
    .where(inArray(awardProposals.eventId, eventIds))
    .groupBy(titleTypes.id)
    .orderBy(desc(count()), asc(titleTypes.name))
    .all();
  const proposals = db
    .select({ kind: awardProposals.kind, status: awardProposals.status, n: count() })
    .from(awardProposals)
    .where(inArray(awardProposals.eventId, eventIds))
    .groupBy(awardProposals.kind, awardProposals.status)
    .all();
  return {
    finalists,
    prizeWinners: prizeRow?.winners ?? 0,
    prizeMoneyYuan: Number(prizeRow?.money ?? 0),
    titles,
    promotions: proposals.filter((p) => p.kind === 'promotion' && p.status === 'approved').reduce((s, p) => s + p.n, 0),
    proposalsWaiting: proposals.filter((p) => p.status === 'proposed').reduce((s, p) => s + p.n, 0),
  };
}

/** Certified levels the actor's body reads (certificatesReadBy), issued in `year` when given (the competition may be of an earlier year). */
function certificatesOf(db: Db, actor: StaffActor, year: number | undefined): Dashboard['certificates'] {
  const inSubtree = certificatesReadBy(db, actor.orgPath);
  // A pending certificate has no issue date yet: it counts in every year until it is issued.
  const inYear = year ? or(like(skillCertificates.issueDate, `${year}-%`), isNull(skillCertificates.issueDate))! : undefined;
  const base = and(inSubtree, inYear);
  const statuses = db
    .select({ status: skillCertificates.status, n: count() })
    .from(skillCertificates)
    .innerJoin(organisations, eq(organisations.id, skillCertificates.orgId))
    .where(base)
    .groupBy(skillCertificates.status)
    .all();
  const issuedOnly = and(base, eq(skillCertificates.status, 'issued'));
  const byLevel = db
    .select({ level: skillCertificates.level, count: count() })
    .from(skillCertificates)
    .innerJoin(organisations, eq(organisations.id, skillCertificates.orgId))
    .where(issuedOnly)
    .groupBy(skillCertificates.level)
    .orderBy(asc(skillCertificates.level))
    .all();
  const byOccupation = db
    .select({ occupationCode: skillCertificates.occupationCode, occupationName: sql<string>`max(${skillCertificates.occupationName})`, count: count() })
    .from(skillCertificates)
    .innerJoin(organisations, eq(organisations.id, skillCertificates.orgId))
    .where(issuedOnly)
    .groupBy(skillCertificates.occupationCode)
    .orderBy(desc(count()), asc(skillCertificates.occupationCode))
    .limit(10)
    .all();
  return {
    issued: statuses.find((s) => s.status === 'issued')?.n ?? 0,
    pending: statuses.find((s) => s.status === 'pending')?.n ?? 0,
    byLevel,
    byOccupation,
  };
}
