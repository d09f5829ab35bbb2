import { readFileSync } from 'node:fs';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { FastifyInstance } from 'fastify';
import {
  awardProposals,
  competitions,
  corrections,
  entries,
  entryMembers,
  events,
  incompleteReasons,
  judgeAssignments,
  judges,
  marks,
  objectiveValues,
  organisations,
  panelSeats,
  people,
  prizes,
  roundEntries,
  rounds,
  titleTypes,
} from '../../../db/schema.ts';
import { DEFAULT_PRIZE_RULE, prizeRuleSchema } from '../../contracts/awards.ts';
import { schemeSchema } from '../../contracts/scheme.ts';
import { prizeCertificateNumber } from '../../domain/awards/index.ts';
import { PACKAGE_FORMAT, PACKAGE_VERSION, type CompetitionPackage, type PackageEvent, type PackageRound } from '../../domain/package/index.ts';
import { maskResidentId } from '../../domain/resident-id.ts';
import { notFound } from '../../errors.ts';

/**
 * Builds a competition's package (server/domain/package/format.ts) from the database: the
 * results as the engine publishes them (app.rankings, the same rows the public pages show) and
 * every mark version behind them. References are assigned in a stable order (events by id,
 * entries by drawn number, people by first entry, judges by id), so exporting a competition
 * imported from a package gives the same document apart from ids and times of the export.
 */

export type PackageVariant = 'full' | 'public';

const GENERATOR = { name: 'skills-competition', version: (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version };

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** The package of a competition; `onlyEventId` keeps one event (the chief judge's check before release). */
export function buildPackage(app: FastifyInstance, competitionId: number, variant: PackageVariant, opts: { onlyEventId?: number } = {}): CompetitionPackage {
  const comp = app.db.select().from(competitions).where(eq(competitions.id, competitionId)).get();
  if (!comp) throw notFound('Competition');
  const owner = app.db.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, comp.orgId)).get()!;
  const full = variant === 'full';
  const eventRows = app.db
    .select()
    .from(events)
    .where(eq(events.competitionId, competitionId))
    .orderBy(asc(events.id))
    .all()
    // The public package holds released events only: before release nobody outside may see names.
    .filter((e) => (full || e.releasedAt !== null) && (opts.onlyEventId === undefined || e.id === opts.onlyEventId));
  const eventIds = eventRows.map((e) => e.id);
  const employer = alias(organisations, 'employer');
  const delegation = alias(organisations, 'delegation');
  const entryRows = eventIds.length
    ? app.db
        .select({ e: entries, p: people, employer: employer.name, delegation: delegation.name })
        .from(entries)
        .innerJoin(people, eq(people.id, entries.personId))
        .leftJoin(employer, eq(employer.id, people.employerId))
        .leftJoin(delegation, eq(delegation.id, entries.delegationId))
        .where(inArray(entries.eventId, eventIds))
        .all()
    : [];
  // Entries in drawn-number order (those without a number last, by when they were entered).
  const byNumber = (a: (typeof entryRows)[number], b: (typeof entryRows)[number]) =>
    (a.e.drawnNumber ?? Number.MAX_SAFE_INTEGER) - (b.e.drawnNumber ?? Number.MAX_SAFE_INTEGER) || a.e.id - b.e.id;

  // The people of team and pair entries (the captain, who is also the entry's person, among them).
  const memberEmployer = alias(organisations, 'member_employer');
  const memberRows = eventIds.length
    ? app.db
        .select({ m: entryMembers, p: people, employer: memberEmployer.name })
        .from(entryMembers)
        .innerJoin(people, eq(people.id, entryMembers.personId))
        .leftJoin(memberEmployer, eq(memberEmployer.id, people.employerId))
        .where(inArray(entryMembers.eventId, eventIds))
        .orderBy(asc(entryMembers.entryId), asc(entryMembers.seq))
        .all()
    : [];
  const membersOf = new Map<number, typeof memberRows>();
  for (const row of memberRows) membersOf.set(row.m.entryId, [...(membersOf.get(row.m.entryId) ?? []), row]);

  const personRef = new Map<number, string>();
  const packagePeople: CompetitionPackage['people'] = [];
  const addPerson = (p: typeof people.$inferSelect, employerName: string | null) => {
    if (personRef.has(p.id)) return;
    const ref = `p${personRef.size + 1}`;
    personRef.set(p.id, ref);
    packagePeople.push({
      ref,
      name: p.name,
      gender: p.gender,
      ...(full ? { idNumber: p.idNumber } : {}),
      idNumberMasked: maskResidentId(p.idNumber),
      ...(full ? { birthDate: p.birthDate, employer: employerName ?? p.employerName ?? null } : {}),
      occupationCode: p.occupationCode,
      occupationName: p.occupationName,
      skillLevel: p.skillLevel,
    });
  };
  const entryRef = new Map<number, string>();
  for (const [k, ev] of eventRows.entries()) {
    const own = entryRows.filter((r) => r.e.eventId === ev.id).sort(byNumber);
    own.forEach((r, i) => {
      entryRef.set(r.e.id, `e${k + 1}.${i + 1}`);
      addPerson(r.p, r.employer);
      for (const m of membersOf.get(r.e.id) ?? []) addPerson(m.p, m.employer);
    });
  }

  const judgeEmployer = alias(organisations, 'judge_employer');
  const judgeRows = app.db
    .select({ j: judges, employer: judgeEmployer.name })
    .from(judges)
    .leftJoin(judgeEmployer, eq(judgeEmployer.id, judges.employerId))
    .where(eq(judges.competitionId, competitionId))
    .orderBy(asc(judges.id))
    .all();
  const assignments = eventIds.length ? app.db.select().from(judgeAssignments).where(inArray(judgeAssignments.eventId, eventIds)).orderBy(asc(judgeAssignments.judgeId)).all() : [];
  // The public package names the judges of the events it holds (on their panels or with marks there); the full one every judge.
  const eventRoundIds = eventIds.length ? app.db.select({ id: rounds.id }).from(rounds).where(inArray(rounds.eventId, eventIds)).all().map((r) => r.id) : [];
  const onPanels = new Set([
    ...assignments.map((a) => a.judgeId),
    ...(eventRoundIds.length ? app.db.selectDistinct({ id: marks.judgeId }).from(marks).where(inArray(marks.roundId, eventRoundIds)).all().map((m) => m.id) : []),
  ]);
  const judgeRef = new Map<number, string>();
  const packageJudges: CompetitionPackage['judges'] = [];
  for (const { j, employer: employerName } of judgeRows) {
    if (!full && !onPanels.has(j.id)) continue;
    const ref = `j${judgeRef.size + 1}`;
    judgeRef.set(j.id, ref);
    packageJudges.push({ ref, name: j.name, ...(full ? { employer: employerName ?? j.employerName ?? null } : {}) });
  }

  const titleNames = new Map(app.db.select({ id: titleTypes.id, name: titleTypes.name }).from(titleTypes).all().map((t) => [t.id, t.name]));
  const delegationNames = new Map(app.db.select({ id: organisations.id, name: organisations.name }).from(organisations).all().map((o) => [o.id, o.name]));
  const packageEvents = eventRows.map((ev, k): PackageEvent => {
    const own = entryRows.filter((r) => r.e.eventId === ev.id).sort(byNumber);
    const position = new Map(own.map((r, i) => [r.e.id, i]));
    const reasons = new Map(app.db.select().from(incompleteReasons).where(eq(incompleteReasons.eventId, ev.id)).all().map((r) => [r.entryId, r.reason]));
    const roundRows = app.db.select().from(rounds).where(eq(rounds.eventId, ev.id)).orderBy(asc(rounds.seq)).all();
    const members = roundRows.length ? app.db.select().from(roundEntries).where(inArray(roundEntries.roundId, roundRows.map((r) => r.id))).all() : [];
    const packageRounds = roundRows.map((round, index): PackageRound => {
      const inputs = new Map(app.rankings.roundInputs(ev.id, round.id).map((i) => [i.entryId, i]));
      const next = roundRows[index + 1];
      const nextMembers = next ? new Set(members.filter((m) => m.roundId === next.id).map((m) => m.entryId)) : null;
      const roundEntryIds = members.filter((m) => m.roundId === round.id).map((m) => m.entryId);
      roundEntryIds.sort((a, b) => position.get(a)! - position.get(b)!);
      const memberOf = new Map(members.filter((m) => m.roundId === round.id).map((m) => [m.entryId, m]));
      return {
        seq: round.seq,
        name: round.name,
        kind: round.kind,
        carryOver: round.carryOver,
        advancement: round.advancement ?? null,
        scheme: round.scheme ? schemeSchema.parse(round.scheme) : null,
        status: round.status,
        closedAt: iso(round.closedAt),
        entries: roundEntryIds.map((id) => {
          const input = inputs.get(id);
          const m = memberOf.get(id)!;
          return {
            entry: entryRef.get(id)!,
            completionSeconds: m.completionSeconds,
            difficulty: m.difficulty ?? {},
            // Only when entered, so packages of events without elements stay as they were.
            ...(Object.keys(m.baseValues ?? {}).length ? { baseValues: m.baseValues } : {}),
            ...(Object.keys(m.voids ?? {}).length ? { voids: m.voids } : {}),
            panels: input?.panels ?? {},
          };
        }),
        seats: app.db
          .select()
          .from(panelSeats)
          .where(eq(panelSeats.roundId, round.id))
          .all()
          .filter((s) => judgeRef.has(s.judgeId))
          .map((s) => ({ part: s.partId, criterion: s.criterionId, judge: judgeRef.get(s.judgeId)! }))
          .sort((a, b) => a.part.localeCompare(b.part) || a.criterion.localeCompare(b.criterion) || refOrder(a.judge, b.judge)),
        marks: marksOf(app, round.id, entryRef, judgeRef),
        objective: objectiveOf(app, round.id, entryRef),
        results: app.rankings.roundRows(ev.id, round.id).map((row) => ({
          entry: entryRef.get(row.entryId)!,
          rank: row.rank,
          shared: row.sharedRank,
          total: row.total,
          roundTotal: row.score.roundTotal,
          carried: row.score.carried,
          complete: row.score.complete,
          provisional: row.provisional,
          parts: row.score.parts.map((p) => ({ part: p.partId, score: p.score, contribution: p.contribution })),
          advanced: nextMembers ? nextMembers.has(row.entryId) : null,
        })),
      };
    });
    return {
      ref: `e${k + 1}`,
      name: ev.name,
      occupationCode: ev.occupationCode,
      occupationName: ev.occupationName,
      targetLevel: ev.targetLevel,
      mode: ev.mode,
      minEntrants: ev.minEntrants,
      scheme: schemeSchema.parse(ev.scheme),
      withdrawnRanking: ev.withdrawnRanking,
      teamRanking: ev.teamRanking ?? null,
      prizeRule: ev.prizeRule ? prizeRuleSchema.parse(ev.prizeRule) : null,
      prizeRuleApplied: ev.prizeRule ? prizeRuleSchema.parse(ev.prizeRule) : DEFAULT_PRIZE_RULE,
      releasedAt: iso(ev.releasedAt),
      publicityEndsAt: iso(ev.publicityEndsAt),
      finalAt: iso(ev.finalAt),
      // `trainee` only when true, so packages without trainees read exactly as before.
      panel: assignments
        .filter((a) => a.eventId === ev.id && judgeRef.has(a.judgeId))
        .map((a) => ({ judge: judgeRef.get(a.judgeId)!, role: a.role, ...(a.trainee && a.role === 'judge' ? { trainee: true } : {}) })),
      entries: own.map((r) => ({
        ref: entryRef.get(r.e.id)!,
        person: personRef.get(r.p.id)!,
        number: r.e.drawnNumber,
        delegation: r.delegation,
        status: r.e.status,
        disqualifiedReason: r.e.disqualifiedReason,
        ...(full ? { statusNote: r.e.statusNote } : {}),
        incompleteReason: reasons.get(r.e.id) ?? null,
        // Only for team and pair entries, so individual entries read exactly as before.
        ...(r.e.teamName != null ? { teamName: r.e.teamName } : {}),
        ...(membersOf.has(r.e.id)
          ? { members: membersOf.get(r.e.id)!.map((m) => ({ person: personRef.get(m.p.id)!, captain: m.m.captain, role: m.m.role })) }
          : {}),
      })),
      rounds: packageRounds,
      prizes: app.db
        .select()
        .from(prizes)
        .where(eq(prizes.eventId, ev.id))
        .all()
        .map((p) => ({
          entry: p.entryId !== null ? (entryRef.get(p.entryId) ?? null) : null,
          delegation: p.delegationId !== null ? (delegationNames.get(p.delegationId) ?? null) : null,
          tier: p.tier,
          label: p.label,
          moneyYuan: p.moneyYuan,
          rank: p.rank,
          certificateNumber: p.entryId !== null ? prizeCertificateNumber({ year: comp.year, competitionId, prizeId: p.id }) : null,
        }))
        .sort((a, b) => a.tier - b.tier || (a.rank ?? 0) - (b.rank ?? 0) || refOrder(a.entry ?? '', b.entry ?? '') || (a.delegation ?? '').localeCompare(b.delegation ?? '')),
      awards: app.db
        .select()
        .from(awardProposals)
        .where(eq(awardProposals.eventId, ev.id))
        .orderBy(asc(awardProposals.id))
        .all()
        .filter((a) => (full || a.status === 'approved') && personRef.has(a.personId))
        .map((a) => ({
          kind: a.kind,
          person: personRef.get(a.personId)!,
          title: a.titleTypeId !== null ? (titleNames.get(a.titleTypeId) ?? null) : a.recommendedTitle,
          fromLevel: a.fromLevel,
          toLevel: a.toLevel,
          year: a.year,
          reason: a.reason,
          status: a.status,
        })),
    };
  });

  return {
    format: PACKAGE_FORMAT,
    version: PACKAGE_VERSION,
    variant,
    generatedAt: app.clock.now().toISOString(),
    generator: GENERATOR,
    competition: {
      name: comp.name,
      grade: comp.grade,
      competitionClass: comp.competitionClass,
      year: comp.year,
      organiser: owner.name,
      organisers: comp.organisers,
      hosts: comp.hosts,
      venue: comp.venue,
      startDate: comp.startDate,
      endDate: comp.endDate,
      status: comp.status,
      publicityDays: comp.publicityDays,
      appealRule: comp.appealRule,
      appealWindowHours: comp.appealWindowHours,
    },
    people: packagePeople,
    judges: packageJudges,
    events: packageEvents,
  };
}

/** `e1.10` after `e1.9`, `j10` after `j9`. */
function refOrder(a: string, b: string): number {
  const pa = a.split(/[^0-9]+/).filter(Boolean).map(Number);
  const pb = b.split(/[^0-9]+/).filter(Boolean).map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? -1) - (pb[i] ?? -1);
    if (d) return d;
  }
  return a.localeCompare(b);
}

/** Every version of every mark of a round, grouped per judge, part and criterion, with the correction each came from. */
function marksOf(app: FastifyInstance, roundId: number, entryRef: Map<number, string>, judgeRef: Map<number, string>): PackageRound['marks'] {
  const rows = app.db.select().from(marks).where(eq(marks.roundId, roundId)).orderBy(asc(marks.version), asc(marks.id)).all();
  const fromCorrection = new Map(
    rows.length
      ? app.db
          .select()
          .from(corrections)
          .where(and(inArray(corrections.resultingMarkId, rows.map((m) => m.id)), eq(corrections.status, 'approved')))
          .all()
          .map((c) => [c.resultingMarkId!, c])
      : [],
  );
  const grouped = new Map<string, PackageRound['marks'][number]>();
  for (const m of rows) {
    const entry = entryRef.get(m.entryId);
    const judge = judgeRef.get(m.judgeId);
    if (!entry || !judge) continue;
    const key = `${entry}|${judge}|${m.partId}|${m.criterionId}`;
    let mark = grouped.get(key);
    if (!mark) grouped.set(key, (mark = { entry, judge, part: m.partId, criterion: m.criterionId, versions: [] }));
    const c = fromCorrection.get(m.id);
    mark.versions.push({
      version: m.version,
      value: m.value,
      at: m.enteredAt.toISOString(),
      device: m.device,
      reason: m.reason,
      enteredBy: m.judgeCodeNumber !== null ? 'judge' : 'staff',
      correction: c
        ? { requestedBy: judgeRef.get(c.requestedBy) ?? judge, reason: c.reason, decidedBy: c.decidedBy !== null ? (judgeRef.get(c.decidedBy) ?? null) : null, decidedAt: iso(c.decidedAt), note: c.decisionNote }
        : null,
    });
  }
  return [...grouped.values()].sort((a, b) => refOrder(a.entry, b.entry) || refOrder(a.judge, b.judge) || a.part.localeCompare(b.part) || a.criterion.localeCompare(b.criterion));
}

/** Every version of the objective values of a round, per entry and part. */
function objectiveOf(app: FastifyInstance, roundId: number, entryRef: Map<number, string>): PackageRound['objective'] {
  const grouped = new Map<string, PackageRound['objective'][number]>();
  for (const v of app.db.select().from(objectiveValues).where(eq(objectiveValues.roundId, roundId)).orderBy(asc(objectiveValues.version), asc(objectiveValues.id)).all()) {
    const entry = entryRef.get(v.entryId);
    if (!entry) continue;
    const key = `${entry}|${v.field}`;
    let o = grouped.get(key);
    if (!o) grouped.set(key, (o = { entry, part: v.field, versions: [] }));
    o.versions.push({ version: v.version, value: v.value, at: v.enteredAt.toISOString(), source: v.source, reason: v.reason });
  }
  return [...grouped.values()].sort((a, b) => refOrder(a.entry, b.entry) || a.part.localeCompare(b.part));
}
