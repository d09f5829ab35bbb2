import { and, asc, eq, inArray } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { accounts, awardProposals, entries, entryMembers, events, organisations, people, personTitles, rounds, skillCertificates, titleRules, titleTypes } from '../../../db/schema.ts';
import { TITLE_RULE_PRESETS, titleRuleSetSchema, type TitleRuleSet } from '../../contracts/awards.ts';
import { proposeAwards, type AwardCandidate } from '../../domain/awards/index.ts';
import { conflict, forbidden, invalid, notFound } from '../../errors.ts';
import type { StaffActor } from '../../plugins/auth.plugin.ts';
import { recordAudit, type Tx } from '../audit/audit.service.ts';
import { refreshPersonLevel } from '../certificates/certificates.service.ts';
import { authorizeEvent } from '../event-access.ts';
import { assertAwardsAllowed } from '../publication/awards-gate.ts';
import { actorOrganisation, hrRegionPrefix } from '../scope.ts';
import { membersOfEvent } from '../entries/members.ts';
import { schemeForRound } from '../events/round-scheme.ts';

/**
 * Which side of the two-sided sign-off a staff member acts for: HR officers, and an HR bureau's
 * administrators, for the bureau; the union's administrators and organisers for the union.
 */
function signingSide(role: (typeof accounts.$inferSelect)['role'], orgKind: (typeof organisations.$inferSelect)['kind']): 'union' | 'hr' | null {
  if (role === 'hr_officer' || (orgKind === 'hr_bureau' && role === 'admin')) return 'hr';
  return role === 'admin' || role === 'organiser' ? 'union' : null;
}

/** Organisation ids on a materialised path, from the root down: rules and title types apply down the tree. */
const idsOnPath = (path: string) => path.split('/').filter(Boolean).map(Number);

type TypeRow = typeof titleTypes.$inferSelect;
type ProposalRow = typeof awardProposals.$inferSelect;

/** Title types visible from an organisation: its own and its ancestors', the nearest winning for a key. */
export function titleTypesFor(tx: Tx, orgPath: string): Map<string, TypeRow> {
  const ids = idsOnPath(orgPath);
  const rows = tx.select().from(titleTypes).where(inArray(titleTypes.orgId, ids)).all();
  const byKey = new Map<string, TypeRow>();
  for (const id of ids) for (const row of rows.filter((r) => r.orgId === id)) byKey.set(row.key, row);
  return byKey;
}

export function listTitleTypes(app: FastifyInstance, actor: StaffActor) {
  return [...titleTypesFor(app.db, actor.orgPath).values()];
}

export function createTitleType(app: FastifyInstance, actor: StaffActor, input: Omit<typeof titleTypes.$inferInsert, 'orgId' | 'id' | 'createdAt'>) {
  const existing = app.db.select().from(titleTypes).where(and(eq(titleTypes.orgId, actor.orgId), eq(titleTypes.key, input.key))).get();
  if (existing) throw conflict('title_type_exists', `Your organisation already has a title type ${input.key}`);
  return app.db.transaction((tx) => {
    const row = tx.insert(titleTypes).values({ ...input, orgId: actor.orgId }).returning().get();
    recordAudit(tx, actor, { action: 'title_type.create', entityType: 'title_type', entityId: row.id, orgId: actor.orgId, after: row });
    return row;
  });
}

/**
 * The title type of `key` visible from an organisation (its own or an ancestor's), created at that
 * organisation when there is none yet (named jointly by the union and the HR bureau).
 */
export function ensureTitleType(tx: Tx, org: { id: number; path: string }, title: { key: string; name: string; level: TypeRow['level'] }, rewardYuan = 0): TypeRow {
  const known = titleTypesFor(tx, org.path).get(title.key);
  if (known) return known;
  return tx
    .insert(titleTypes)
    .values({ orgId: org.id, key: title.key, name: title.name, level: title.level, conferringBodies: ['工会', '人力资源和社会保障局'], rewardYuan })
    .returning()
    .get();
}

/** Makes sure every title a rule set names exists as a title type (created at the caller's organisation). */
function ensureTitleTypes(tx: Tx, actor: StaffActor, set: TitleRuleSet): void {
  for (const rule of set.rules)
    for (const action of rule.then) {
      if (action.kind === 'promotion') continue;
      ensureTitleType(tx, { id: actor.orgId, path: actor.orgPath }, { key: action.titleKey, name: action.titleName, level: action.titleLevel });
    }
}

export function listTitleRules(app: FastifyInstance, actor: StaffActor) {
  return app.db
    .select()
    .from(titleRules)
    .where(inArray(titleRules.orgId, idsOnPath(actor.orgPath)))
    .orderBy(asc(titleRules.id))
    .all()
    .map((r) => ({ ...r, rule: titleRuleSetSchema.parse(r.rule) }));
}

export function createTitleRule(app: FastifyInstance, actor: StaffActor, input: { name?: string; presetKey?: string; rule?: TitleRuleSet }) {
  const set = input.presetKey ? TITLE_RULE_PRESETS[input.presetKey] : input.rule;
  if (!set) throw invalid('body.presetKey', `no preset ${input.presetKey}; see GET /api/title-rules/presets`);
  return app.db.transaction((tx) => {
    ensureTitleTypes(tx, actor, set);
    const row = tx
      .insert(titleRules)
      .values({ orgId: actor.orgId, name: input.name ?? set.name, presetKey: input.presetKey ?? null, rule: set })
      .returning()
      .get();
    recordAudit(tx, actor, { action: 'title_rule.create', entityType: 'title_rule', entityId: row.id, orgId: actor.orgId, after: row });
    return { ...row, rule: set };
  });
}

export function updateTitleRule(app: FastifyInstance, actor: StaffActor, id: number, patch: { name?: string; rule?: TitleRuleSet; active?: boolean }) {
  const before = app.db.select().from(titleRules).where(eq(titleRules.id, id)).get();
  if (!before) throw notFound('Title rule');
  if (before.orgId !== actor.orgId) throw forbidden('Rules are changed by the organisation that set them');
  // Nothing to change (an empty body): the rule as it is, not an empty UPDATE.
  if (Object.values(patch).every((v) => v === undefined)) return { ...before, rule: titleRuleSetSchema.parse(before.rule) };
  return app.db.transaction((tx) => {
    if (patch.rule) ensureTitleTypes(tx, actor, patch.rule);
    const row = tx.update(titleRules).set(patch).where(eq(titleRules.id, id)).returning().get();
    recordAudit(tx, actor, { action: 'title_rule.update', entityType: 'title_rule', entityId: id, orgId: actor.orgId, before, after: row });
    return { ...row, rule: titleRuleSetSchema.parse(row.rule) };
  });
}

function presentProposal(app: FastifyInstance, rows: ProposalRow[]) {
  const personNames = new Map(
    rows.length ? app.db.select({ id: people.id, name: people.name }).from(people).where(inArray(people.id, rows.map((r) => r.personId))).all().map((p) => [p.id, p.name]) : [],
  );
  const eventNames = new Map(
    rows.length ? app.db.select({ id: events.id, name: events.name }).from(events).where(inArray(events.id, rows.map((r) => r.eventId))).all().map((e) => [e.id, e.name]) : [],
  );
  const typeNames = new Map(app.db.select({ id: titleTypes.id, name: titleTypes.name }).from(titleTypes).all().map((t) => [t.id, t.name]));
  // The side that rejected, told apart as for signing.
  const rejecters = rows.flatMap((r) => (r.rejectedBy === null ? [] : [r.rejectedBy]));
  const sideOf = new Map(
    rejecters.length
      ? app.db
          .select({ id: accounts.id, role: accounts.role, kind: organisations.kind })
          .from(accounts)
          .innerJoin(organisations, eq(organisations.id, accounts.orgId))
          .where(inArray(accounts.id, rejecters))
          .all()
          .map((a) => [a.id, signingSide(a.role, a.kind)])
      : [],
  );
  return rows.map((r) => ({
    id: r.id,
    eventId: r.eventId,
    eventName: eventNames.get(r.eventId) ?? '',
    personId: r.personId,
    personName: personNames.get(r.personId) ?? '',
    kind: r.kind,
    titleName: r.titleTypeId ? (typeNames.get(r.titleTypeId) ?? null) : r.recommendedTitle,
    fromLevel: r.fromLevel,
    toLevel: r.toLevel,
    year: r.year,
    reason: r.reason,
    status: r.status,
    unionSigned: r.unionApprovedAt != null,
    hrSigned: r.hrApprovedAt != null,
    rejectReason: r.rejectReason,
    rejectedBy: r.status === 'rejected' && r.rejectedBy !== null ? (sideOf.get(r.rejectedBy) ?? null) : null,
  }));
}

type Content = { reason: string; fromLevel: number | null; toLevel: number | null };
type Wanted = Content & { ruleId: number; personId: number; kind: ProposalRow['kind']; titleTypeId: number | null; recommendedTitle: string | null };

/** One proposal per person, kind and title: a promotion is one whatever its levels. */
const proposalKey = (p: { personId: number; kind: string; titleTypeId: number | null; recommendedTitle: string | null }) =>
  `${p.personId}|${p.kind}|${p.kind === 'promotion' ? '' : p.kind === 'title' ? `t${p.titleTypeId}` : `r${p.recommendedTitle}`}`;
const contentOf = (p: Content): Content => ({ reason: p.reason, fromLevel: p.fromLevel, toLevel: p.toLevel });
const sameContent = (a: Content, b: Content) => a.reason === b.reason && a.fromLevel === b.fromLevel && a.toLevel === b.toLevel;
const signed = (p: ProposalRow) => p.unionApprovedAt != null || p.hrApprovedAt != null;

/**
 * Turns an event's released results into proposals by every active rule set of the competition's
 * organisation and its ancestors, and reconciles them with what is there: a run proposes only
 * what is new or changed and says what changed. A proposal someone signed is never discarded or
 * rewritten (its signature stands for what was signed); rejected ones are not proposed again.
 */
export function generateProposals(app: FastifyInstance, req: FastifyRequest, eventId: number) {
  const { event, competition, orgPath, actor } = authorizeEvent(app, req, eventId, { staff: ['admin', 'organiser', 'hr_officer'] });
  if (!event.releasedAt) throw conflict('not_released', 'Proposals are made from released results');
  const last = app.db.select().from(rounds).where(eq(rounds.eventId, eventId)).orderBy(asc(rounds.seq)).all().at(-1)!;
  const rows = app.rankings.roundRows(eventId, last.id);
  const entryPeople = new Map(
    app.db
      .select({ entryId: entries.id, personId: entries.personId, level: people.skillLevel })
      .from(entries)
      .innerJoin(people, eq(people.id, entries.personId))
      .where(eq(entries.eventId, eventId))
      .all()
      .map((e) => [e.entryId, e]),
  );
  // A team or pair: titles and promotions are personal, so every member is a candidate at the team's place.
  const teamMembers = membersOfEvent(app.db, eventId);
  const levelOf = new Map<number, number | null>([...entryPeople.values()].map((e) => [e.personId, e.level]));
  if (teamMembers.size > 0)
    for (const p of app.db.select({ id: people.id, level: people.skillLevel }).from(people).where(inArray(people.id, [...teamMembers.values()].flat().map((m) => m.personId))).all())
      levelOf.set(p.id, p.level);
  const peopleOf = (entryId: number) => teamMembers.get(entryId)?.map((m) => m.personId) ?? [entryPeople.get(entryId)!.personId];
  const personIds = [...entryPeople.keys()].flatMap(peopleOf);
  const held = new Map<number, string[]>();
  for (const t of personIds.length
    ? app.db.select({ personId: personTitles.personId, key: titleTypes.key }).from(personTitles).innerJoin(titleTypes, eq(titleTypes.id, personTitles.titleTypeId)).where(inArray(personTitles.personId, personIds)).all()
    : [])
    held.set(t.personId, [...(held.get(t.personId) ?? []), t.key]);
  // At most one promotion through competition per person per year: approved proposals or certificates of that year.
  const promoted = new Set<number>([
    ...app.db
      .select({ personId: awardProposals.personId })
      .from(awardProposals)
      .where(and(eq(awardProposals.kind, 'promotion'), eq(awardProposals.status, 'approved'), eq(awardProposals.year, competition.year)))
      .all()
      .map((r) => r.personId),
    ...app.db
      .select({ personId: skillCertificates.personId, issueDate: skillCertificates.issueDate })
      .from(skillCertificates)
      .where(eq(skillCertificates.basis, 'competition_promotion'))
      .all()
      .filter((c) => c.issueDate?.startsWith(String(competition.year)))
      .map((c) => c.personId),
  ]);
  const candidates: AwardCandidate[] = rows.flatMap((r) =>
    peopleOf(r.entryId).map((personId) => ({
      entryId: r.entryId,
      personId,
      rank: r.rank,
      status: r.status,
      provisional: r.provisional,
      currentLevel: levelOf.get(personId) ?? null,
      titles: held.get(personId) ?? [],
      promotedThisYear: promoted.has(personId),
    })),
  );
  const sets = app.db
    .select()
    .from(titleRules)
    .where(and(inArray(titleRules.orgId, idsOnPath(orgPath)), eq(titleRules.active, true)))
    .orderBy(asc(titleRules.id))
    .all();
  const types = titleTypesFor(app.db, orgPath);

  // What the rules give now, one per key (the first rule set that gives it wins).
  const wanted = new Map<string, Wanted>();
  const skipped: { personId: number; reason: string }[] = [];
  let provisional = false;
  for (const set of sets) {
    const outcome = proposeAwards(
      { competition: { grade: competition.grade, competitionClass: competition.competitionClass, year: competition.year }, event: { occupationCode: event.occupationCode }, rows: candidates },
      titleRuleSetSchema.parse(set.rule),
    );
    provisional ||= outcome.provisional;
    for (const sk of outcome.skipped) skipped.push({ personId: sk.personId, reason: sk.reason });
    for (const p of outcome.proposals) {
      const w: Wanted = {
        ruleId: set.id,
        personId: p.personId,
        kind: p.kind,
        titleTypeId: p.kind === 'title' ? (types.get(p.titleKey)?.id ?? null) : null,
        recommendedTitle: p.kind === 'recommendation' ? p.titleName : null,
        fromLevel: p.kind === 'promotion' ? p.fromLevel : null,
        toLevel: p.kind === 'promotion' ? p.toLevel : null,
        reason: `${set.name}：${p.reason}`,
      };
      const key = proposalKey(w);
      if (!wanted.has(key)) wanted.set(key, w);
    }
  }

  const changes: { change: 'added' | 'updated' | 'withdrawn' | 'kept_signed'; row: ProposalRow; before: Content | null; after: Content | null }[] = [];
  const created: ProposalRow[] = [];
  let unchanged = 0;
  app.db.transaction(
    (tx) => {
      const existing = new Map(tx.select().from(awardProposals).where(eq(awardProposals.eventId, eventId)).all().map((r) => [proposalKey(r), r]));
      for (const [key, w] of wanted) {
        const row = existing.get(key);
        if (!row) {
          const inserted = tx
            .insert(awardProposals)
            .values({ eventId, personId: w.personId, ruleId: w.ruleId, kind: w.kind, titleTypeId: w.titleTypeId, recommendedTitle: w.recommendedTitle, fromLevel: w.fromLevel, toLevel: w.toLevel, year: competition.year, reason: w.reason })
            .returning()
            .get();
          created.push(inserted);
          changes.push({ change: 'added', row: inserted, before: null, after: contentOf(inserted) });
        } else if (row.status === 'rejected' || sameContent(row, w)) unchanged++;
        else if (row.status === 'approved' || signed(row)) changes.push({ change: 'kept_signed', row, before: contentOf(row), after: contentOf(w) });
        else {
          const updated = tx.update(awardProposals).set({ ruleId: w.ruleId, reason: w.reason, fromLevel: w.fromLevel, toLevel: w.toLevel }).where(eq(awardProposals.id, row.id)).returning().get();
          changes.push({ change: 'updated', row: updated, before: contentOf(row), after: contentOf(updated) });
        }
      }
      for (const [key, row] of existing) {
        if (wanted.has(key) || row.status !== 'proposed') continue;
        if (signed(row)) changes.push({ change: 'kept_signed', row, before: contentOf(row), after: null });
        else {
          tx.delete(awardProposals).where(eq(awardProposals.id, row.id)).run();
          changes.push({ change: 'withdrawn', row, before: contentOf(row), after: null });
        }
      }
      recordAudit(tx, actor, {
        action: 'proposals.generate',
        entityType: 'event',
        entityId: eventId,
        orgId: competition.orgId,
        after: { changes: changes.map((c) => ({ change: c.change, proposalId: c.row.id, before: c.before, after: c.after })), unchanged, skipped: skipped.length },
      });
    },
    { behavior: 'immediate' },
  );
  const presented = new Map(presentProposal(app, changes.map((c) => c.row)).map((p) => [p.id, p]));
  return {
    created: created.length,
    proposals: presentProposal(app, created),
    changes: changes.map((c) => {
      const p = presented.get(c.row.id)!;
      return { change: c.change, proposalId: c.row.id, personId: p.personId, personName: p.personName, kind: p.kind, titleName: p.titleName, before: c.before, after: c.after };
    }),
    unchanged,
    skipped,
    provisional,
  };
}

/**
 * Proposals the caller may see: the person is kept in their subtree, or the competition is in
 * their scope (owned in their subtree, or co-organised by their body: the HR bureau signs the
 * union's competition's proposals), or, for an HR bureau, the person is of its region.
 */
function visibleProposalIds(app: FastifyInstance, actor: StaffActor, id?: number): number[] {
  const region = hrRegionPrefix(app.db, actor);
  const rows = app.db.$client
    .prepare<(string | number)[], { id: number }>(
      `select p.id from award_proposals p
       join people pe on pe.id = p.person_id join organisations po on po.id = pe.org_id
       join events e on e.id = p.event_id join competitions c on c.id = e.competition_id join organisations co on co.id = c.org_id
       where (po.path like ? or co.path like ? ${region !== null ? 'or po.region_code like ?' : ''}
         or c.id in (select cco.competition_id from competition_co_organisers cco join organisations coo on coo.id = cco.org_id where coo.path like ?))
       ${id ? 'and p.id = ?' : ''} order by p.id`,
    )
    .all(...[`${actor.orgPath}%`, `${actor.orgPath}%`, ...(region !== null ? [`${region}%`] : []), `${actor.orgPath}%`, ...(id ? [id] : [])]);
  return rows.map((r) => r.id);
}

export function listProposals(app: FastifyInstance, actor: StaffActor, q: { status?: 'proposed' | 'approved' | 'rejected'; eventId?: number }) {
  const ids = visibleProposalIds(app, actor);
  if (ids.length === 0) return [];
  const rows = app.db.select().from(awardProposals).where(inArray(awardProposals.id, ids)).orderBy(asc(awardProposals.id)).all();
  return presentProposal(
    app,
    rows.filter((p) => (!q.status || p.status === q.status) && (!q.eventId || p.eventId === q.eventId)),
  );
}

/**
 * What the certificate records from the competition (理论成绩, 实操成绩): the person's theory and
 * practical results in the event's last round, each out of 100 (the parts of that role: score over
 * full marks; penalties left out). Null where the scheme has no such part or a score is missing.
 */
function resultScores(app: FastifyInstance, tx: Tx, event: typeof events.$inferSelect, personId: number): { theoryScore: number | null; practicalScore: number | null } {
  const none = { theoryScore: null, practicalScore: null };
  const entry =
    tx.select({ id: entries.id }).from(entries).where(and(eq(entries.eventId, event.id), eq(entries.personId, personId))).get() ??
    tx
      .select({ id: entries.id })
      .from(entryMembers)
      .innerJoin(entries, eq(entries.id, entryMembers.entryId))
      .where(and(eq(entries.eventId, event.id), eq(entryMembers.personId, personId)))
      .get();
  const last = tx.select().from(rounds).where(eq(rounds.eventId, event.id)).orderBy(asc(rounds.seq)).all().at(-1);
  if (!entry || !last) return none;
  const row = app.rankings.staffRanking(event.id, last.id, { identities: false }).staffRows.find((r) => r.entryId === entry.id);
  if (!row) return none;
  const scheme = schemeForRound(event, last);
  const outOf100 = (role: 'theory' | 'practical') => {
    const parts = scheme.parts.filter((p) => p.role === role && p.kind !== 'penalty');
    const scores = parts.map((p) => row.partDetails.find((d) => d.partId === p.id)?.score ?? null);
    if (parts.length === 0 || scores.some((x) => x === null)) return null;
    const max = parts.reduce((sum, p) => sum + p.max, 0);
    // A difficulty coefficient may lift a score past full marks; a certificate records at most 100.
    return Math.min(100, Math.round(((scores as number[]).reduce((a, b) => a + b, 0) / max) * 10000) / 100);
  };
  return { theoryScore: outOf100('theory'), practicalScore: outOf100('practical') };
}

/**
 * One side signs: HR officers (and anyone acting for an HR bureau) for the HR bureau,
 * administrators and organisers of the union for the union. Titles and promotions are awarded
 * only once the results stand: after the publicity period with no appeal waiting, unless an
 * organiser recorded an override (awards-gate.ts). With both signatures the proposal is approved
 * and takes effect: a title is conferred (never twice), a promotion becomes a pending certificate
 * for the HR officer to complete and issue.
 */
export function signProposal(app: FastifyInstance, actor: StaffActor, id: number) {
  const { row } = proposalInScope(app, actor, id);
  if (row.status !== 'proposed') throw conflict('already_decided', `This proposal was already ${row.status}`);
  const side = signingSide(actor.role, actorOrganisation(app.db, actor).kind);
  if (!side) throw forbidden('Proposals are signed by the union (administrators, organisers) and the HR bureau (HR officers)');
  if ((side === 'hr' && row.hrApprovedAt) || (side === 'union' && row.unionApprovedAt)) throw conflict('already_signed', 'Your side has already signed');
  const now = app.clock.now();
  assertAwardsAllowed(app, app.db.select().from(events).where(eq(events.id, row.eventId)).get()!, now);
  const updated = app.db.transaction((tx) => {
    const patch = side === 'hr' ? { hrApprovedBy: actor.accountId, hrApprovedAt: now } : { unionApprovedBy: actor.accountId, unionApprovedAt: now };
    const both = side === 'hr' ? row.unionApprovedAt != null : row.hrApprovedAt != null;
    if (both && row.kind === 'title' && row.titleTypeId) {
      const holds = tx.select({ id: personTitles.id }).from(personTitles).where(and(eq(personTitles.personId, row.personId), eq(personTitles.titleTypeId, row.titleTypeId))).get();
      if (holds) throw conflict('already_holds_title', 'This person already holds the title; a title is never conferred twice');
      tx.insert(personTitles).values({ personId: row.personId, titleTypeId: row.titleTypeId, conferredAt: now, proposalId: row.id }).run();
    }
    if (both && row.kind === 'promotion' && row.toLevel) {
      const promotedThisYear = tx
        .select({ id: awardProposals.id })
        .from(awardProposals)
        .where(and(eq(awardProposals.personId, row.personId), eq(awardProposals.kind, 'promotion'), eq(awardProposals.status, 'approved'), eq(awardProposals.year, row.year)))
        .get();
      if (promotedThisYear) throw conflict('one_promotion_per_year', 'This person was already promoted through a competition this year');
      const event = tx.select().from(events).where(eq(events.id, row.eventId)).get()!;
      // Proposals are never made for such events; this guards one made before the code was removed.
      if (event.occupationCode === null || event.occupationName === null)
        throw conflict('no_occupation', 'The event has no occupation code, so it cannot lead to a skill-level promotion');
      tx.insert(skillCertificates)
        .values({
          personId: row.personId,
          orgId: side === 'hr' ? actor.orgId : (tx.select({ orgId: people.orgId }).from(people).where(eq(people.id, row.personId)).get()!.orgId),
          occupationCode: event.occupationCode,
          occupationName: event.occupationName,
          level: row.toLevel,
          basis: 'competition_promotion',
          status: 'pending',
          proposalId: row.id,
          // The HR officer completing it sees the competition's results already filled in.
          ...resultScores(app, tx, event, row.personId),
        })
        .run();
      refreshPersonLevel(tx, row.personId);
    }
    const after = tx
      .update(awardProposals)
      .set({ ...patch, ...(both ? { status: 'approved' as const } : {}) })
      .where(eq(awardProposals.id, id))
      .returning()
      .get();
    recordAudit(tx, actor, { action: both ? 'proposal.approve' : 'proposal.sign', entityType: 'award_proposal', entityId: id, orgId: actor.orgId, before: row, after });
    return after;
  });
  return presentProposal(app, [updated])[0]!;
}

export function rejectProposal(app: FastifyInstance, actor: StaffActor, id: number, reason: string) {
  const { row } = proposalInScope(app, actor, id);
  if (row.status !== 'proposed') throw conflict('already_decided', `This proposal was already ${row.status}`);
  const updated = app.db.transaction((tx) => {
    const after = tx.update(awardProposals).set({ status: 'rejected', rejectedBy: actor.accountId, rejectReason: reason }).where(eq(awardProposals.id, id)).returning().get();
    recordAudit(tx, actor, { action: 'proposal.reject', entityType: 'award_proposal', entityId: id, orgId: actor.orgId, before: row, after });
    return after;
  });
  return presentProposal(app, [updated])[0]!;
}

function proposalInScope(app: FastifyInstance, actor: StaffActor, id: number) {
  const row = app.db.select().from(awardProposals).where(eq(awardProposals.id, id)).get();
  if (!row) throw notFound('Proposal');
  if (visibleProposalIds(app, actor, id).length === 0) throw forbidden('This proposal belongs to an organisation outside your scope');
  return { row };
}
