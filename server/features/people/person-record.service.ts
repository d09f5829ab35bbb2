import { asc, desc, eq, inArray, or, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { competitions, entries, entryMembers, events, organisations, personTitles, prizes, rounds, skillCertificates, titleTypes } from '../../../db/schema.ts';
import { entryDisplayName, membersOfEntries } from '../entries/members.ts';
import { titleStanding } from '../../domain/selections/index.ts';
import { skillLevelLabel } from '../../domain/skill-levels.ts';
import { chinaDate } from '../../domain/working-days.ts';
import type { StaffActor } from '../../plugins/auth.plugin.ts';
import { employerNameOf, getPersonInScope, presentPerson } from './people.service.ts';

/** One page per person: competitions and results (ranks only once released), prizes, titles, levels over time. */
export function personRecord(app: FastifyInstance, actor: StaffActor, personId: number) {
  const row = getPersonInScope(app.db, actor, personId);
  const employerName = employerNameOf(app.db, row);

  const entered = app.db
    .select({ entry: entries, event: events, competition: competitions, delegation: organisations.name })
    .from(entries)
    .innerJoin(events, eq(events.id, entries.eventId))
    .innerJoin(competitions, eq(competitions.id, events.competitionId))
    .leftJoin(organisations, eq(organisations.id, entries.delegationId))
    // Their own entries, and the teams and pairs they were a member of.
    .where(or(eq(entries.personId, personId), inArray(entries.id, app.db.select({ id: entryMembers.entryId }).from(entryMembers).where(eq(entryMembers.personId, personId)))))
    .orderBy(desc(competitions.year), desc(events.id))
    .all();
  const teams = membersOfEntries(
    app.db,
    entered.map((e) => e.entry.id),
  );
  const results = entered.map(({ entry, event, competition, delegation }) => {
    let rank: number | null = null;
    let total: number | null = null;
    let finalists: number | null = null;
    if (event.releasedAt) {
      const last = app.db.select({ id: rounds.id }).from(rounds).where(eq(rounds.eventId, event.id)).orderBy(asc(rounds.seq)).all().at(-1);
      if (last) {
        const rows = app.rankings.roundRows(event.id, last.id);
        const mine = rows.find((r) => r.entryId === entry.id);
        rank = mine?.rank ?? null;
        total = mine?.total ?? null;
        finalists = rows.filter((r) => r.rank !== null).length;
      }
    }
    return {
      entryId: entry.id,
      competitionId: competition.id,
      competitionName: competition.name,
      grade: competition.grade,
      year: competition.year,
      eventId: event.id,
      eventName: event.name,
      delegation,
      team: teams.has(entry.id) ? entryDisplayName('', entry.teamName, teams.get(entry.id)) : null,
      status: entry.status,
      released: event.releasedAt != null,
      rank,
      total,
      finalists,
    };
  });

  const entryIds = new Set(entered.map((e) => e.entry.id));
  const prizeRows = app.db
    .select({ prize: prizes, eventName: events.name })
    .from(prizes)
    .innerJoin(events, eq(events.id, prizes.eventId))
    .all()
    .filter((p) => p.prize.entryId != null && entryIds.has(p.prize.entryId));

  const titles = app.db
    .select({ t: personTitles, type: titleTypes })
    .from(personTitles)
    .innerJoin(titleTypes, eq(titleTypes.id, personTitles.titleTypeId))
    .where(eq(personTitles.personId, personId))
    .orderBy(asc(personTitles.conferredAt))
    .all();

  const certificates = app.db
    .select()
    .from(skillCertificates)
    .where(eq(skillCertificates.personId, personId))
    .orderBy(sql`${skillCertificates.issueDate} is null`, asc(skillCertificates.issueDate), asc(skillCertificates.id))
    .all();

  return {
    person: presentPerson(app.db, row, actor, employerName),
    employerName,
    results,
    prizes: prizeRows.map(({ prize, eventName }) => ({ eventId: prize.eventId, eventName, label: prize.label, tier: prize.tier, moneyYuan: prize.moneyYuan })),
    titles: titles.map(({ t, type }) => ({
      titleTypeId: type.id,
      name: type.name,
      level: type.level,
      conferredAt: t.conferredAt.toISOString(),
      rewardYuan: type.rewardYuan,
      selectionId: t.selectionId,
      certificateNumber: t.certificateNumber,
      termEnds: t.termEnds,
      revokedAt: t.revokedAt?.toISOString() ?? null,
      revokeReason: t.revokeReason,
      standing: titleStanding({ termEnds: t.termEnds, revoked: t.revokedAt !== null }, chinaDate(app.clock.now())),
    })),
    certificates: certificates.map((c) => ({
      id: c.id,
      occupationCode: c.occupationCode,
      occupationName: c.occupationName,
      trade: c.trade,
      level: c.level,
      levelLabel: skillLevelLabel(c.level),
      certificateNumber: c.certificateNumber,
      issueDate: c.issueDate,
      evaluationBody: c.evaluationBody,
      basis: c.basis,
      status: c.status,
    })),
  };
}
