import { eq, like } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
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
import { verifyPackage, type CompetitionPackage, type PackageVerification } from '../../domain/package/index.ts';
import { parseResidentId } from '../../domain/resident-id.ts';
import { AppError, invalid } from '../../errors.ts';
import type { StaffActor } from '../../plugins/auth.plugin.ts';
import { recordAudit, type Tx } from '../audit/audit.service.ts';
import { buildPackage } from './package.service.ts';

/**
 * Imports a full competition package (server/domain/package/format.ts) as a new competition of
 * the importing organisation, in one transaction:
 *
 * - people are matched by resident ID number, or created under the importing organisation
 *   (a matched person's record is never changed by the import);
 * - delegations are matched by name within the importer's subtree, or created under it;
 * - judges are created (no sign-in codes: the package holds none);
 * - events, rounds, panels and entries as the package says; every mark and objective value
 *   version with its original time, the corrections they came from, prizes and award proposals.
 *
 * The results are then recomputed by this system from the stored marks and compared with the
 * package's published results: every difference is reported (and audited), none overwritten —
 * the marks are the record, the package's claimed results are what is checked.
 */

const differenceSchema = z.object({
  event: z.string(),
  eventName: z.string(),
  round: z.int().nullable(),
  entry: z.string().nullable(),
  number: z.int().nullable(),
  what: z.string(),
  published: z.unknown(),
  recomputed: z.unknown(),
});

export const importReportSchema = z
  .object({
    dryRun: z.boolean(),
    /** The new competition; null on a dry run. */
    competitionId: z.int().nullable(),
    name: z.string(),
    events: z.int(),
    entries: z.int(),
    people: z.object({ matched: z.int(), created: z.int() }),
    judges: z.int(),
    markVersions: z.int(),
    delegationsCreated: z.array(z.string()),
    /** The package's results recomputed from its marks: verified N of M events. */
    verified: z.int(),
    total: z.int(),
    /** Every difference between the package's published results and the results recomputed from its marks. */
    differences: z.array(differenceSchema),
  })
  .meta({ id: 'PackageImportReport' });
export type ImportReport = z.infer<typeof importReportSchema>;

function differencesOf(v: PackageVerification): ImportReport['differences'] {
  return v.events.flatMap((e) => e.problems.map((p) => ({ event: e.ref, eventName: e.name, ...p })));
}

/** People and ID numbers checked before anything is stored: every bad one named by its place in the package. */
function checkPeople(app: FastifyInstance, pkg: CompetitionPackage) {
  if (pkg.variant !== 'full')
    throw new AppError(409, 'package_public_variant', 'A public package holds no ID numbers: its people cannot be matched or created. Import the full package.');
  const today = app.clock.now();
  const seen = new Set<string>();
  return pkg.people.map((p, i) => {
    const parsed = parseResidentId(p.idNumber ?? '', today);
    if (!parsed.ok) throw invalid(`body.people.${i}.idNumber`, parsed.message, `id_number_${parsed.reason}`);
    if (seen.has(parsed.value.idNumber)) throw invalid(`body.people.${i}.idNumber`, 'the same person is listed twice');
    seen.add(parsed.value.idNumber);
    const existing = app.db.select({ id: people.id }).from(people).where(eq(people.idNumber, parsed.value.idNumber)).get();
    return { p, idNumber: parsed.value.idNumber, birthDate: p.birthDate ?? parsed.value.birthDate, existingId: existing?.id ?? null };
  });
}

/** References must point at something in the package: a dangling one is named with its path. */
function checkReferences(pkg: CompetitionPackage): void {
  const personRefs = new Set(pkg.people.map((p) => p.ref));
  const judgeRefs = new Set(pkg.judges.map((j) => j.ref));
  pkg.events.forEach((ev, i) => {
    const entryRefs = new Set(ev.entries.map((e) => e.ref));
    ev.entries.forEach((e, j) => {
      if (!personRefs.has(e.person)) throw invalid(`body.events.${i}.entries.${j}.person`, `no person ${e.person} in the package`);
      e.members?.forEach((m, k) => {
        if (!personRefs.has(m.person)) throw invalid(`body.events.${i}.entries.${j}.members.${k}.person`, `no person ${m.person} in the package`);
      });
      if (e.members && !e.members.some((m) => m.person === e.person && m.captain))
        throw invalid(`body.events.${i}.entries.${j}.members`, `the entry's person ${e.person} must be among its members as the captain`);
    });
    ev.panel.forEach((a, j) => {
      if (!judgeRefs.has(a.judge)) throw invalid(`body.events.${i}.panel.${j}.judge`, `no judge ${a.judge} in the package`);
    });
    ev.rounds.forEach((r, k) => {
      r.entries.forEach((re, j) => {
        if (!entryRefs.has(re.entry)) throw invalid(`body.events.${i}.rounds.${k}.entries.${j}.entry`, `no entry ${re.entry} in the event`);
      });
      r.marks.forEach((m, j) => {
        if (!entryRefs.has(m.entry)) throw invalid(`body.events.${i}.rounds.${k}.marks.${j}.entry`, `no entry ${m.entry} in the event`);
        if (!judgeRefs.has(m.judge)) throw invalid(`body.events.${i}.rounds.${k}.marks.${j}.judge`, `no judge ${m.judge} in the package`);
      });
      r.seats.forEach((s, j) => {
        if (!judgeRefs.has(s.judge)) throw invalid(`body.events.${i}.rounds.${k}.seats.${j}.judge`, `no judge ${s.judge} in the package`);
      });
      r.objective.forEach((o, j) => {
        if (!entryRefs.has(o.entry)) throw invalid(`body.events.${i}.rounds.${k}.objective.${j}.entry`, `no entry ${o.entry} in the event`);
      });
    });
    ev.awards.forEach((a, j) => {
      if (!personRefs.has(a.person)) throw invalid(`body.events.${i}.awards.${j}.person`, `no person ${a.person} in the package`);
    });
  });
}

export function importPackage(app: FastifyInstance, actor: StaffActor, pkg: CompetitionPackage, opts: { dryRun: boolean }): ImportReport {
  checkReferences(pkg);
  const persons = checkPeople(app, pkg);
  const verification = verifyPackage(pkg);
  const markVersions = pkg.events.reduce((n, e) => n + e.rounds.reduce((m, r) => m + r.marks.reduce((k, x) => k + x.versions.length, 0), 0), 0);
  const base = {
    name: pkg.competition.name,
    events: pkg.events.length,
    entries: pkg.events.reduce((n, e) => n + e.entries.length, 0),
    people: { matched: persons.filter((p) => p.existingId !== null).length, created: persons.filter((p) => p.existingId === null).length },
    judges: pkg.judges.length,
    markVersions,
    verified: verification.verified,
    total: verification.total,
  };
  const actorOrg = app.db.select().from(organisations).where(eq(organisations.id, actor.orgId)).get()!;
  const delegationNames = [...new Set(pkg.events.flatMap((e) => e.entries.map((x) => x.delegation)).filter((d): d is string => d !== null))];
  const known = new Map(
    app.db
      .select({ id: organisations.id, name: organisations.name })
      .from(organisations)
      .where(like(organisations.path, `${actorOrg.path}%`))
      .all()
      .map((o) => [o.name, o.id]),
  );
  const delegationsCreated = delegationNames.filter((n) => !known.has(n));
  if (opts.dryRun) return { dryRun: true, competitionId: null, ...base, delegationsCreated, differences: differencesOf(verification) };

  const competitionId = app.db.transaction(
    (tx) => {
      const now = app.clock.now();
      const c = pkg.competition;
      const comp = tx
        .insert(competitions)
        .values({
          orgId: actor.orgId,
          name: c.name,
          grade: c.grade,
          competitionClass: c.competitionClass,
          year: c.year,
          organisers: c.organisers,
          hosts: c.hosts,
          venue: c.venue,
          startDate: c.startDate,
          endDate: c.endDate,
          status: c.status,
          publicityDays: c.publicityDays,
          appealRule: c.appealRule,
          appealWindowHours: c.appealWindowHours,
        })
        .returning({ id: competitions.id })
        .get();

      const personId = new Map<string, number>();
      for (const x of persons) {
        if (x.existingId !== null) {
          personId.set(x.p.ref, x.existingId);
          continue;
        }
        const row = tx
          .insert(people)
          .values({
            orgId: actor.orgId,
            name: x.p.name,
            idNumber: x.idNumber,
            gender: x.p.gender,
            birthDate: x.birthDate,
            employerName: x.p.employer ?? null,
            occupationCode: x.p.occupationCode,
            occupationName: x.p.occupationName,
            skillLevel: x.p.skillLevel,
          })
          .returning({ id: people.id })
          .get();
        personId.set(x.p.ref, row.id);
      }
      const delegationId = new Map(known);
      for (const name of delegationsCreated) {
        const created = tx.insert(organisations).values({ parentId: actorOrg.id, name, kind: 'employer', level: 'enterprise', regionCode: actorOrg.regionCode, path: '' }).returning().get();
        tx.update(organisations).set({ path: `${actorOrg.path}${created.id}/` }).where(eq(organisations.id, created.id)).run();
        delegationId.set(name, created.id);
      }
      const judgeId = new Map<string, number>();
      for (const j of pkg.judges) judgeId.set(j.ref, tx.insert(judges).values({ competitionId: comp.id, name: j.name, employerName: j.employer ?? null }).returning({ id: judges.id }).get().id);
      const titleByName = new Map(tx.select({ id: titleTypes.id, name: titleTypes.name }).from(titleTypes).all().map((t) => [t.name, t.id]));

      for (const ev of pkg.events) storeEvent(tx, actor, comp.id, ev, { personId, judgeId, delegationId, titleByName, now });
      recordAudit(tx, actor, {
        action: 'competition.import',
        entityType: 'competition',
        entityId: comp.id,
        orgId: actor.orgId,
        after: { ...base, delegationsCreated, generatedAt: pkg.generatedAt, generator: pkg.generator, differences: differencesOf(verification).length },
      });
      return comp.id;
    },
    { behavior: 'immediate' },
  );
  for (const ev of app.db.select({ id: events.id }).from(events).where(eq(events.competitionId, competitionId)).all()) app.rankings.invalidate(ev.id);

  // What this system now publishes from the stored marks, against what the package said was published.
  const stored = buildPackage(app, competitionId, 'full');
  const differences: ImportReport['differences'] = [];
  stored.events.forEach((ev, i) => {
    const claimed = pkg.events[i]!;
    ev.rounds.forEach((round, k) => {
      const claimedRound = claimed.rounds[k];
      const published = new Map((claimedRound?.results ?? []).map((r) => [r.entry, r]));
      const numberOf = new Map(claimed.entries.map((e) => [e.ref, e.number]));
      for (const r of round.results) {
        const p = published.get(r.entry);
        const diff = (what: string, a: unknown, b: unknown) => differences.push({ event: claimed.ref, eventName: claimed.name, round: round.seq, entry: r.entry, number: numberOf.get(r.entry) ?? null, what, published: a, recomputed: b });
        if (!p) diff('missing_result', null, r.total);
        else {
          if (Math.abs(p.total - r.total) >= 0.005) diff('total', p.total, r.total);
          if (p.rank !== r.rank) diff('rank', p.rank, r.rank);
          if (p.shared !== r.shared) diff('shared', p.shared, r.shared);
          if (p.advanced !== r.advanced) diff('advanced', p.advanced, r.advanced);
        }
      }
    });
  });
  // Differences found by the package's own verification (a prize, a part score) that the stored ranking does not show.
  for (const d of differencesOf(verification)) if (!differences.some((x) => x.event === d.event && x.round === d.round && x.entry === d.entry && x.what === d.what)) differences.push(d);
  if (differences.length) recordAudit(app.db, actor, { action: 'competition.import_differences', entityType: 'competition', entityId: competitionId, orgId: actor.orgId, after: { differences } });
  return { dryRun: false, competitionId, ...base, delegationsCreated, differences };
}

type Refs = { personId: Map<string, number>; judgeId: Map<string, number>; delegationId: Map<string, number>; titleByName: Map<string, number>; now: Date };

function storeEvent(tx: Tx, actor: StaffActor, competitionId: number, ev: CompetitionPackage['events'][number], refs: Refs): void {
  const at = (s: string | null) => (s ? new Date(s) : null);
  const event = tx
    .insert(events)
    .values({
      competitionId,
      name: ev.name,
      occupationCode: ev.occupationCode,
      occupationName: ev.occupationName,
      targetLevel: ev.targetLevel,
      mode: ev.mode,
      minEntrants: ev.minEntrants,
      scheme: ev.scheme,
      teamRanking: ev.teamRanking,
      prizeRule: ev.prizeRule,
      withdrawnRanking: ev.withdrawnRanking,
      releasedAt: at(ev.releasedAt),
      publicityEndsAt: at(ev.publicityEndsAt),
      finalAt: at(ev.finalAt),
    })
    .returning({ id: events.id })
    .get();
  for (const a of ev.panel) tx.insert(judgeAssignments).values({ judgeId: refs.judgeId.get(a.judge)!, eventId: event.id, role: a.role, trainee: a.role === 'judge' && a.trainee === true }).run();
  const entryId = new Map<string, number>();
  for (const e of ev.entries) {
    const row = tx
      .insert(entries)
      .values({
        eventId: event.id,
        personId: refs.personId.get(e.person)!,
        delegationId: e.delegation !== null ? (refs.delegationId.get(e.delegation) ?? null) : null,
        status: e.status,
        disqualifiedReason: e.disqualifiedReason,
        statusNote: e.statusNote ?? null,
        drawnNumber: e.number,
        teamName: e.teamName ?? null,
      })
      .returning({ id: entries.id })
      .get();
    entryId.set(e.ref, row.id);
    e.members?.forEach((m, seq) =>
      tx
        .insert(entryMembers)
        .values({ entryId: row.id, eventId: event.id, personId: refs.personId.get(m.person)!, seq: seq + 1, captain: m.captain, role: m.role })
        .run(),
    );
    if (e.incompleteReason) tx.insert(incompleteReasons).values({ eventId: event.id, entryId: row.id, reason: e.incompleteReason, recordedAt: at(ev.releasedAt) ?? refs.now }).run();
  }
  for (const r of [...ev.rounds].sort((a, b) => a.seq - b.seq)) {
    const round = tx
      .insert(rounds)
      .values({ eventId: event.id, seq: r.seq, name: r.name, kind: r.kind, carryOver: r.carryOver, advancement: r.advancement, scheme: r.scheme, status: r.status, closedAt: at(r.closedAt) })
      .returning({ id: rounds.id })
      .get();
    for (const re of r.entries)
      tx.insert(roundEntries)
        .values({ roundId: round.id, entryId: entryId.get(re.entry)!, completionSeconds: re.completionSeconds, difficulty: re.difficulty, baseValues: re.baseValues ?? {}, voids: re.voids ?? {} })
        .run();
    for (const s of r.seats) tx.insert(panelSeats).values({ roundId: round.id, partId: s.part, criterionId: s.criterion, judgeId: refs.judgeId.get(s.judge)! }).run();
    for (const m of r.marks) {
      let previous: number | null = null;
      for (const v of [...m.versions].sort((a, b) => a.version - b.version)) {
        const judgeId = refs.judgeId.get(m.judge)!;
        const stored = tx
          .insert(marks)
          .values({
            roundId: round.id,
            entryId: entryId.get(m.entry)!,
            judgeId,
            partId: m.part,
            criterionId: m.criterion,
            version: v.version,
            value: v.value,
            reason: v.reason,
            enteredAt: new Date(v.at),
            device: v.device,
            // Entered by the judge signed in: kept as such (which of their codes is not in the package).
            judgeCodeNumber: v.enteredBy === 'judge' ? 1 : null,
          })
          .returning({ id: marks.id })
          .get();
        if (v.correction)
          tx.insert(corrections)
            .values({
              markId: previous ?? stored.id,
              requestedBy: refs.judgeId.get(v.correction.requestedBy) ?? judgeId,
              newValue: v.value,
              reason: v.correction.reason,
              status: 'approved',
              decidedBy: v.correction.decidedBy !== null ? (refs.judgeId.get(v.correction.decidedBy) ?? null) : null,
              decidedAt: at(v.correction.decidedAt),
              decisionNote: v.correction.note,
              resultingMarkId: stored.id,
            })
            .run();
        previous = stored.id;
      }
    }
    for (const o of r.objective)
      for (const v of o.versions)
        tx.insert(objectiveValues)
          .values({ roundId: round.id, entryId: entryId.get(o.entry)!, field: o.part, version: v.version, value: v.value, source: v.source, reason: v.reason, accountId: actor.accountId, enteredAt: new Date(v.at) })
          .run();
  }
  for (const p of ev.prizes)
    tx.insert(prizes)
      .values({
        eventId: event.id,
        entryId: p.entry !== null ? (entryId.get(p.entry) ?? null) : null,
        delegationId: p.delegation !== null ? (refs.delegationId.get(p.delegation) ?? null) : null,
        tier: p.tier,
        label: p.label,
        moneyYuan: p.moneyYuan,
        rank: p.rank,
      })
      .run();
  for (const a of ev.awards) {
    const titleTypeId = a.kind === 'title' && a.title !== null ? (refs.titleByName.get(a.title) ?? null) : null;
    tx.insert(awardProposals)
      .values({
        eventId: event.id,
        personId: refs.personId.get(a.person)!,
        kind: a.kind,
        titleTypeId,
        recommendedTitle: titleTypeId === null ? a.title : null,
        fromLevel: a.fromLevel,
        toLevel: a.toLevel,
        year: a.year,
        reason: a.reason,
        status: a.status,
      })
      .run();
  }
}
