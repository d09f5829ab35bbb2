import { and, asc, desc, eq, inArray, like } from 'drizzle-orm';
import type { Db } from '../../../../db/client.ts';
import { fiveSmallsCampaigns, fiveSmallsDepartments, fiveSmallsEntries, fiveSmallsScores, organisations, people, studios } from '../../../../db/schema.ts';
import {
  awardTiersConfigSchema,
  type AwardTiersConfig,
  type BenefitCriterion,
  type FiveSmallsEntry,
} from '../../../contracts/studios.ts';
import { awardTiers, rankFiveSmalls, screenFiveSmalls } from '../../../domain/studios/index.ts';
import { AppError, conflict, forbidden, invalid, notFound } from '../../../errors.ts';
import type { StaffActor } from '../../../plugins/auth.plugin.ts';
import { recordAudit, type Tx } from '../../audit/audit.service.ts';
import { personForField, studioForField } from '../registry/studios.service.ts';
import { assertInStudioScope, inStudioReach, organisationById, orgNames, studioScope, UNION_STUDIO_ROLES, type OrgRow } from '../scope.ts';
import type {
  CampaignDetail,
  CampaignEntry,
  CampaignEntryInput,
  CampaignSummary,
  CreateCampaignInput,
  DepartmentScoreInput,
  ScreeningRules,
  UpdateCampaignInput,
} from '../studios.contracts.ts';

/**
 * "Five smalls" (五小) campaigns: entries from workers and studios, screening (资格审查) with
 * reasons, several departments scoring the economic, social, safety and management benefit,
 * and three award tiers by count with prize money. The rules are the domain's
 * (screenFiveSmalls, rankFiveSmalls, awardTiers); results are computed from the stored facts
 * every time, and awarding freezes those facts.
 */

type CampaignRow = typeof fiveSmallsCampaigns.$inferSelect;
type EntryRow = typeof fiveSmallsEntries.$inferSelect;

const CRITERIA: readonly BenefitCriterion[] = ['economic', 'social', 'safety', 'management'];
const isManager = (actor: StaffActor) => (UNION_STUDIO_ROLES as readonly string[]).includes(actor.role);

function campaignInScope(db: Db | Tx, actor: StaffActor, campaignId: number): { campaign: CampaignRow; org: OrgRow } {
  const found = db
    .select({ campaign: fiveSmallsCampaigns, org: organisations })
    .from(fiveSmallsCampaigns)
    .innerJoin(organisations, eq(organisations.id, fiveSmallsCampaigns.orgId))
    .where(eq(fiveSmallsCampaigns.id, campaignId))
    .get();
  if (!found) throw notFound('Campaign');
  assertInStudioScope(studioScope(db, actor), found.org.path);
  return found;
}

function openCampaignToManage(db: Db | Tx, actor: StaffActor, campaignId: number) {
  if (!isManager(actor)) throw forbidden('Five-smalls campaigns are run by the union');
  const found = campaignInScope(db, actor, campaignId);
  if (found.campaign.status !== 'open') throw conflict('campaign_awarded', 'The campaign has been awarded; its entries and scores are final');
  return found;
}

const tiersOf = (c: CampaignRow): AwardTiersConfig => awardTiersConfigSchema.parse(c.tiers);
const screeningOf = (c: CampaignRow): ScreeningRules => c.screening as ScreeningRules;

function domainEntry(e: EntryRow): FiveSmallsEntry {
  return {
    id: e.id,
    category: e.category,
    title: e.title,
    submitter: { type: e.submitterType, id: e.submitterType === 'worker' ? e.personId! : e.studioId! },
    completedOn: e.completedOn,
    implemented: e.implemented,
    previouslyAwarded: e.previouslyAwarded,
  };
}

/** Screening, ranking and awards of a campaign, from its stored entries and scores. */
function evaluate(db: Db | Tx, campaign: CampaignRow) {
  const departments = db.select().from(fiveSmallsDepartments).where(eq(fiveSmallsDepartments.campaignId, campaign.id)).orderBy(asc(fiveSmallsDepartments.id)).all();
  const entries = db.select().from(fiveSmallsEntries).where(eq(fiveSmallsEntries.campaignId, campaign.id)).orderBy(asc(fiveSmallsEntries.id)).all();
  const scores = db.select().from(fiveSmallsScores).where(eq(fiveSmallsScores.campaignId, campaign.id)).all();
  const screening = screeningOf(campaign);
  const screened = screenFiveSmalls(entries.map(domainEntry), {
    ...screening,
    exclusions: entries.flatMap((e) => (e.exclusionReason ? [{ entryId: e.id, reason: e.exclusionReason }] : [])),
  });
  const ranking = rankFiveSmalls(
    screened.eligible,
    scores.map((s) => ({ departmentId: s.departmentId, entryId: s.entryId, criterion: s.criterion, points: s.points })),
    { departments: departments.map((d) => ({ id: d.id, name: d.name, weights: d.weights })), maxPoints: campaign.maxPoints, requireAllDepartments: campaign.requireAllDepartments },
  );
  const awards = awardTiers(
    ranking.map((r) => ({ entryId: r.entryId, rank: r.rank })),
    tiersOf(campaign),
  );
  return { departments, entries, scores, screened, ranking, awards };
}

function countsOf(db: Db | Tx, campaign: CampaignRow): Pick<CampaignSummary, 'entries' | 'eligible' | 'awarded'> {
  const { entries, screened, awards } = evaluate(db, campaign);
  return { entries: entries.length, eligible: screened.eligible.length, awarded: awards.awarded };
}

function summaryOf(campaign: CampaignRow, org: OrgRow, counts: Pick<CampaignSummary, 'entries' | 'eligible' | 'awarded'>): CampaignSummary {
  return { id: campaign.id, name: campaign.name, year: campaign.year, org: { id: org.id, name: org.name }, status: campaign.status, ...counts, awardedOn: campaign.awardedOn };
}

function presentCampaign(db: Db | Tx, actor: StaffActor, campaign: CampaignRow, org: OrgRow): CampaignDetail {
  const { departments, entries, scores, screened, ranking, awards } = evaluate(db, campaign);
  const personNames = new Map(
    (() => {
      const ids = entries.flatMap((e) => (e.personId === null ? [] : [e.personId]));
      return ids.length === 0 ? [] : db.select({ id: people.id, name: people.name }).from(people).where(inArray(people.id, ids)).all().map((p) => [p.id, p.name] as const);
    })(),
  );
  const studioNames = new Map(
    (() => {
      const ids = entries.flatMap((e) => (e.studioId === null ? [] : [e.studioId]));
      return ids.length === 0 ? [] : db.select({ id: studios.id, name: studios.name }).from(studios).where(inArray(studios.id, ids)).all().map((s) => [s.id, s.name] as const);
    })(),
  );
  const orgs = orgNames(db, [...entries.flatMap((e) => (e.employerId === null ? [] : [e.employerId])), ...departments.flatMap((d) => (d.organisationId === null ? [] : [d.organisationId]))]);
  const rowOf = new Map(ranking.map((r) => [r.entryId, r]));
  const awardOf = new Map(awards.rows.map((a) => [a.entryId, a]));
  const reasonsOf = new Map(screened.ineligible.map((i) => [i.entry.id, i.reasons]));
  const byId = new Map(entries.map((e) => [e.id, e]));

  const present = (e: EntryRow): CampaignEntry => {
    const row = rowOf.get(e.id);
    const award = awardOf.get(e.id);
    const employer = e.employerId === null ? undefined : orgs.get(e.employerId);
    return {
      id: e.id,
      category: e.category,
      title: e.title,
      submitter: {
        type: e.submitterType,
        id: e.submitterType === 'worker' ? e.personId! : e.studioId!,
        name: (e.submitterType === 'worker' ? personNames.get(e.personId!) : studioNames.get(e.studioId!)) ?? '',
      },
      employer: employer ? { id: employer.id, name: employer.name } : null,
      completedOn: e.completedOn,
      implemented: e.implemented,
      previouslyAwarded: e.previouslyAwarded,
      summary: e.summary,
      exclusionReason: e.exclusionReason,
      eligible: !reasonsOf.has(e.id),
      reasons: reasonsOf.get(e.id) ?? [],
      departmentScores: departments.map((d) => ({
        departmentId: d.id,
        score: row?.departments.find((x) => x.departmentId === d.id)?.score ?? null,
        points: Object.fromEntries(scores.filter((s) => s.entryId === e.id && s.departmentId === d.id).map((s) => [s.criterion, s.points])) as Partial<Record<BenefitCriterion, number>>,
      })),
      combined: row?.combined ?? null,
      rank: row?.rank ?? null,
      sharedRank: row?.sharedRank ?? false,
      tier: award?.tier ?? null,
      prizeYuan: award?.prizeYuan ?? null,
    };
  };

  return {
    ...summaryOf(campaign, org, { entries: entries.length, eligible: screened.eligible.length, awarded: awards.awarded }),
    screening: screeningOf(campaign),
    maxPoints: campaign.maxPoints,
    requireAllDepartments: campaign.requireAllDepartments,
    tiers: tiersOf(campaign),
    departments: departments.map((d) => {
      const o = d.organisationId === null ? undefined : orgs.get(d.organisationId);
      return { id: d.id, name: d.name, organisation: o ? { id: o.id, name: o.name } : null, weights: d.weights };
    }),
    entryList: [...ranking.map((r) => byId.get(r.entryId)!), ...screened.ineligible.map((i) => byId.get(i.entry.id)!)].map(present),
    tierSummary: awards.tiers,
    totalPrizeYuan: awards.totalPrizeYuan,
    ranked: ranking.filter((r) => r.rank !== null).length,
    canManage: isManager(actor) && campaign.status === 'open',
  };
}

export function listCampaigns(db: Db, actor: StaffActor): CampaignSummary[] {
  const scope = studioScope(db, actor);
  return db
    .select({ campaign: fiveSmallsCampaigns, org: organisations })
    .from(fiveSmallsCampaigns)
    .innerJoin(organisations, eq(organisations.id, fiveSmallsCampaigns.orgId))
    .where(like(organisations.path, `${scope.path}%`))
    .orderBy(desc(fiveSmallsCampaigns.year), desc(fiveSmallsCampaigns.id))
    .all()
    .map((r) => summaryOf(r.campaign, r.org, countsOf(db, r.campaign)));
}

export function getCampaign(db: Db, actor: StaffActor, campaignId: number): CampaignDetail {
  const { campaign, org } = campaignInScope(db, actor, campaignId);
  return presentCampaign(db, actor, campaign, org);
}

export function createCampaign(db: Db, actor: StaffActor, input: CreateCampaignInput): CampaignDetail {
  if (!isManager(actor)) throw forbidden('Five-smalls campaigns are run by the union');
  const scope = studioScope(db, actor);
  input.departments.forEach((d, i) => {
    // The campaign shows the department's organisation by name: one outside the caller's reach is
    // refused exactly like one that does not exist. The county's HR bureau, its peer, is in reach.
    if (d.organisationId !== null) {
      const org = db.select().from(organisations).where(eq(organisations.id, d.organisationId)).get();
      if (!org || !inStudioReach(db, scope, org)) throw invalid(`body.departments.${i}.organisationId`, 'no such organisation in your scope');
    }
    if (CRITERIA.every((c) => d.weights[c] === 0)) throw invalid(`body.departments.${i}.weights`, 'at least one criterion needs a weight above 0');
  });
  checkScreeningDates(input.screening);
  return db.transaction((tx) => {
    const campaign = tx
      .insert(fiveSmallsCampaigns)
      .values({
        orgId: actor.orgId,
        name: input.name,
        year: input.year,
        screening: input.screening,
        maxPoints: input.maxPoints,
        requireAllDepartments: input.requireAllDepartments,
        tiers: input.tiers,
      })
      .returning()
      .get();
    for (const d of input.departments) tx.insert(fiveSmallsDepartments).values({ campaignId: campaign.id, name: d.name, organisationId: d.organisationId, weights: d.weights }).run();
    recordAudit(tx, actor, { action: 'five_smalls.create', entityType: 'five_smalls_campaign', entityId: campaign.id, orgId: actor.orgId, after: { ...campaign, departments: input.departments } });
    return presentCampaign(tx, actor, campaign, organisationById(tx, actor.orgId));
  });
}

function checkScreeningDates(s: ScreeningRules | undefined): void {
  if (s?.completedFrom && s.completedTo && s.completedTo < s.completedFrom) throw invalid('body.screening.completedTo', 'the period ends before it starts');
}

export function updateCampaign(db: Db, actor: StaffActor, campaignId: number, patch: UpdateCampaignInput): CampaignDetail {
  const { campaign: before, org } = openCampaignToManage(db, actor, campaignId);
  // Nothing to change (an empty body): the campaign as it is, not an empty UPDATE.
  if (Object.values(patch).every((v) => v === undefined)) return presentCampaign(db, actor, before, org);
  checkScreeningDates(patch.screening);
  return db.transaction((tx) => {
    const row = tx
      .update(fiveSmallsCampaigns)
      .set({ name: patch.name, screening: patch.screening, tiers: patch.tiers, requireAllDepartments: patch.requireAllDepartments })
      .where(eq(fiveSmallsCampaigns.id, campaignId))
      .returning()
      .get();
    recordAudit(tx, actor, { action: 'five_smalls.update', entityType: 'five_smalls_campaign', entityId: campaignId, orgId: org.id, before, after: row });
    return presentCampaign(tx, actor, row, org);
  });
}

/** An entry from a worker or a studio of the caller's scope (the screening decides eligibility later). */
export function addEntry(db: Db, actor: StaffActor, campaignId: number, input: CampaignEntryInput): CampaignEntry {
  const { campaign, org } = openCampaignToManage(db, actor, campaignId);
  const scope = studioScope(db, actor);
  let personId: number | null = null;
  let studioId: number | null = null;
  let employerId: number | null;
  if (input.submitter.type === 'worker') {
    const person = personForField(db, scope, input.submitter.personId, 'body.submitter.personId');
    personId = person.id;
    employerId = person.employerId;
  } else {
    const { studio } = studioForField(db, scope, input.submitter.studioId, 'body.submitter.studioId');
    studioId = studio.id;
    employerId = studio.hostEmployerId;
  }
  const id = db.transaction((tx) => {
    const row = tx
      .insert(fiveSmallsEntries)
      .values({
        campaignId,
        category: input.category,
        title: input.title,
        submitterType: input.submitter.type,
        personId,
        studioId,
        employerId,
        completedOn: input.completedOn,
        implemented: input.implemented,
        previouslyAwarded: input.previouslyAwarded,
        summary: input.summary,
      })
      .returning()
      .get();
    recordAudit(tx, actor, { action: 'five_smalls.entry.add', entityType: 'five_smalls_campaign', entityId: campaignId, orgId: org.id, after: row });
    return row.id;
  });
  return presentCampaign(db, actor, campaign, org).entryList.find((e) => e.id === id)!;
}

function entryOf(db: Db | Tx, campaignId: number, entryId: number, field?: string): EntryRow {
  const row = db.select().from(fiveSmallsEntries).where(and(eq(fiveSmallsEntries.id, entryId), eq(fiveSmallsEntries.campaignId, campaignId))).get();
  if (!row) throw field ? invalid(field, `entry ${entryId} is not in this campaign`) : notFound('Entry');
  return row;
}

/** Screens an entry out by hand with the screening group's reason, or (reason null) takes it back in. */
export function setExclusion(db: Db, actor: StaffActor, campaignId: number, entryId: number, reason: string | null): CampaignDetail {
  const { campaign, org } = openCampaignToManage(db, actor, campaignId);
  const before = entryOf(db, campaignId, entryId);
  return db.transaction((tx) => {
    tx.update(fiveSmallsEntries).set({ exclusionReason: reason }).where(eq(fiveSmallsEntries.id, entryId)).run();
    recordAudit(tx, actor, {
      action: reason === null ? 'five_smalls.entry.readmit' : 'five_smalls.entry.exclude',
      entityType: 'five_smalls_campaign',
      entityId: campaignId,
      orgId: org.id,
      before: { entryId, exclusionReason: before.exclusionReason },
      after: { entryId, exclusionReason: reason },
    });
    return presentCampaign(tx, actor, campaign, org);
  });
}

/**
 * A department's points for an eligible entry (criteria it weighs above 0, each 0..maxPoints);
 * given criteria replace earlier ones.
 */
export function scoreEntry(db: Db, actor: StaffActor, campaignId: number, input: DepartmentScoreInput): CampaignEntry {
  const { campaign, org } = openCampaignToManage(db, actor, campaignId);
  const department = db.select().from(fiveSmallsDepartments).where(and(eq(fiveSmallsDepartments.id, input.departmentId), eq(fiveSmallsDepartments.campaignId, campaignId))).get();
  if (!department) throw invalid('body.departmentId', `department ${input.departmentId} does not score this campaign`);
  entryOf(db, campaignId, input.entryId, 'body.entryId');
  const { screened } = evaluate(db, campaign);
  const ineligible = screened.ineligible.find((i) => i.entry.id === input.entryId);
  if (ineligible)
    throw new AppError(409, 'entry_ineligible', `The entry was screened out: ${ineligible.reasons.map((r) => r.message).join('；')}`, [
      { field: 'body.entryId', message: ineligible.reasons.map((r) => r.message).join('；') },
    ]);
  const given = CRITERIA.flatMap((c) => (input.points[c] === undefined ? [] : [[c, input.points[c]!] as const]));
  const errors = given.flatMap(([c, p]) => {
    if (department.weights[c] === 0) return [{ field: `body.points.${c}`, message: `${department.name} does not score this criterion` }];
    if (!Number.isFinite(p) || p < 0 || p > campaign.maxPoints) return [{ field: `body.points.${c}`, message: `points must lie between 0 and ${campaign.maxPoints}` }];
    return [];
  });
  if (errors.length > 0) throw new AppError(400, 'validation_failed', errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
  db.transaction((tx) => {
    for (const [criterion, points] of given)
      tx.insert(fiveSmallsScores)
        .values({ campaignId, entryId: input.entryId, departmentId: department.id, criterion, points })
        .onConflictDoUpdate({ target: [fiveSmallsScores.entryId, fiveSmallsScores.departmentId, fiveSmallsScores.criterion], set: { points } })
        .run();
    recordAudit(tx, actor, { action: 'five_smalls.score', entityType: 'five_smalls_campaign', entityId: campaignId, orgId: org.id, after: input });
  });
  return presentCampaign(db, actor, campaign, org).entryList.find((e) => e.id === input.entryId)!;
}

/** Awards the tiers: every eligible entry must be ranked; the campaign's facts are final from then on. */
export function awardCampaign(db: Db, actor: StaffActor, campaignId: number, date: string): CampaignDetail {
  const { campaign, org } = openCampaignToManage(db, actor, campaignId);
  const { ranking, awards } = evaluate(db, campaign);
  const unranked = ranking.filter((r) => r.rank === null).length;
  if (unranked > 0) throw conflict('scoring_incomplete', `${unranked} eligible entries are not fully scored yet`);
  if (ranking.length === 0) throw conflict('no_entries', 'The campaign has no eligible entries');
  if (Number(date.slice(0, 4)) < campaign.year) throw invalid('body.date', `the award cannot be dated before ${campaign.year}`);
  return db.transaction((tx) => {
    const row = tx.update(fiveSmallsCampaigns).set({ status: 'awarded', awardedOn: date }).where(eq(fiveSmallsCampaigns.id, campaignId)).returning().get();
    recordAudit(tx, actor, {
      action: 'five_smalls.award',
      entityType: 'five_smalls_campaign',
      entityId: campaignId,
      orgId: org.id,
      after: { awardedOn: date, tiers: awards.tiers, awarded: awards.rows.filter((r) => r.tier !== null) },
    });
    return presentCampaign(tx, actor, row, org);
  });
}

