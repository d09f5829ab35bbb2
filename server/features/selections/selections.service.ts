import { and, asc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { FastifyInstance } from 'fastify';
import {
  craftsmanCandidates,
  craftsmanCommittee,
  craftsmanObjections,
  craftsmanRewardPayments,
  craftsmanSelections,
  organisations,
  people,
  personTitles,
  titleTypes,
} from '../../../db/schema.ts';
import {
  eligibilityRulesSchema,
  nominationFormSchema,
  reviewSetupSchema,
  SELECTION_PRESETS,
  titleRewardSchema,
  type CreateSelectionInput,
  type NominateInput,
  type NominationForm,
  type UpdateSelectionInput,
} from '../../contracts/selections.ts';
import { maskResidentId } from '../../domain/resident-id.ts';
import {
  amountDue,
  certificateNumber,
  checkEligibility,
  namingDay,
  nominationWindow,
  OPEN_RULES,
  overpayment,
  rewardTotals,
  selectionPublicityEnd,
  termEnds,
  toFen,
  type EligibilityResult,
  type EligibilityRules,
  type TitleReward,
} from '../../domain/selections/index.ts';
import { chinaDate } from '../../domain/working-days.ts';
import { AppError, conflict, forbidden, invalid, notFound } from '../../errors.ts';
import { assertInScope, inScope, type StaffActor } from '../../plugins/auth.plugin.ts';
import { recordAudit, type Tx } from '../audit/audit.service.ts';
import { workingCalendar } from '../calendar/calendar.service.ts';
import { employerNameOf, getPersonInScope, PEOPLE_EDITORS } from '../people/people.service.ts';
import { ensureTitleType } from '../titles/titles.service.ts';
import { committeeTally } from './committee.ts';

/**
 * Craftsman selection (工匠评选): a union's yearly selection of a title by nomination, review,
 * publicity and naming.
 *
 * draft → nominating → reviewing → publicity → named → closed
 *
 * Who: the owning union's organisers and administrators manage it; staff of the co-organising
 * bodies (the HR bureau) and of the owner's subtree read it, and HR officers and organisers in
 * that scope nominate; the public reads the list in publicity and once named.
 *
 * The review: a selection with a review setup is scored by its panel on the shared review engine
 * and its proposed list comes from the engine's ranking (./selection-review.service.ts); one
 * without a setup has its ranked proposed list set by hand (`setProposedList`).
 */

export type SelectionRow = typeof craftsmanSelections.$inferSelect;
export type CandidateRow = typeof craftsmanCandidates.$inferSelect;
export type OrgRow = typeof organisations.$inferSelect;
type Status = SelectionRow['status'];

const today = (app: FastifyInstance) => chinaDate(app.clock.now());
const rulesOf = (s: SelectionRow): EligibilityRules => eligibilityRulesSchema.parse(s.eligibilityRules);
const rewardOf = (s: SelectionRow): TitleReward => titleRewardSchema.parse(s.reward);
export const formOf = (c: CandidateRow): NominationForm => nominationFormSchema.parse(c.form);
const seesFullIds = (actor: StaffActor) => (PEOPLE_EDITORS as readonly string[]).includes(actor.role);

// ---- Loading and scope ----

export function loadSelection(app: FastifyInstance, id: number): { sel: SelectionRow; owner: OrgRow } {
  const found = app.db.select({ sel: craftsmanSelections, owner: organisations }).from(craftsmanSelections).innerJoin(organisations, eq(organisations.id, craftsmanSelections.orgId)).where(eq(craftsmanSelections.id, id)).get();
  if (!found) throw notFound('Selection');
  return found;
}

export function coOrganiserRows(app: FastifyInstance, ids: number[]): OrgRow[] {
  return ids.length ? app.db.select().from(organisations).where(inArray(organisations.id, ids)).all() : [];
}

/** Read scope: the owner in the caller's subtree, or a co-organising body (or one above it in its line). */
function canRead(app: FastifyInstance, actor: StaffActor, sel: SelectionRow, owner: OrgRow): boolean {
  return inScope(actor, owner.path) || coOrganiserRows(app, sel.coOrganiserIds).some((o) => inScope(actor, o.path)) || onCommittee(app, actor, sel.id);
}

/** A member of the review committee votes on the ranked list, so reads the selection whole, wherever their account sits. */
function onCommittee(app: FastifyInstance, actor: StaffActor, selectionId: number): boolean {
  return !!app.db
    .select({ id: craftsmanCommittee.id })
    .from(craftsmanCommittee)
    .where(and(eq(craftsmanCommittee.selectionId, selectionId), eq(craftsmanCommittee.accountId, actor.accountId)))
    .get();
}

/**
 * The caller's part in a selection: staff of the union running it (their role decides what they
 * may do), of a co-organiser (they read it and nominate), a member of its review committee from
 * elsewhere (they read it whole to vote on the list), or of a union or unit below the running
 * union once it is announced (they see its settings and rules, nominate people in their own
 * scope, forward their own named craftsmen, and see only their own nominations).
 */
export type SelectionPart = 'running_union' | 'co_organiser' | 'committee_member' | 'nominating_unit';

function partOf(app: FastifyInstance, actor: StaffActor, sel: SelectionRow, owner: OrgRow): SelectionPart | null {
  if (inScope(actor, owner.path)) return 'running_union';
  if (coOrganiserRows(app, sel.coOrganiserIds).some((o) => inScope(actor, o.path))) return 'co_organiser';
  if (onCommittee(app, actor, sel.id)) return 'committee_member';
  if (actor.orgPath.startsWith(owner.path) && sel.status !== 'draft') return 'nominating_unit';
  return null;
}

/** The selection as far as the caller takes part in it (reading in full, or nominating from below), or 404 / 403. */
export function visible(app: FastifyInstance, actor: StaffActor, id: number) {
  const found = loadSelection(app, id);
  const part = partOf(app, actor, found.sel, found.owner);
  if (!part) throw forbidden('This selection belongs to an organisation outside your scope');
  return { ...found, part };
}

/** The selection for reading, or 404 / 403. */
export function readable(app: FastifyInstance, actor: StaffActor, id: number) {
  const found = loadSelection(app, id);
  if (!canRead(app, actor, found.sel, found.owner)) throw forbidden('This selection belongs to an organisation outside your scope');
  return found;
}

/** The selection for managing: only the owning union's subtree (the route admits organisers and admins). */
export function managed(app: FastifyInstance, actor: StaffActor, id: number) {
  const found = loadSelection(app, id);
  if (!inScope(actor, found.owner.path)) {
    if (canRead(app, actor, found.sel, found.owner)) throw forbidden('A selection is managed by the union that runs it; co-organisers read it and nominate');
    throw forbidden('This selection belongs to an organisation outside your scope');
  }
  return found;
}

export function assertStatus(sel: SelectionRow, allowed: readonly Status[], what: string): void {
  if (!allowed.includes(sel.status)) throw new AppError(409, 'wrong_selection_status', `${what} needs the selection to be ${allowed.join(' or ')}; it is ${sel.status}`, undefined, { status: sel.status });
}

// ---- Presenting ----

export function presentSelection(app: FastifyInstance, sel: SelectionRow, owner: OrgRow, yourPart: SelectionPart = 'running_union') {
  const title = app.db.select().from(titleTypes).where(eq(titleTypes.id, sel.titleTypeId)).get()!;
  const counts = app.db
    .select({ status: craftsmanCandidates.status, n: sql<number>`count(*)` })
    .from(craftsmanCandidates)
    .where(eq(craftsmanCandidates.selectionId, sel.id))
    .groupBy(craftsmanCandidates.status)
    .all();
  return {
    id: sel.id,
    orgId: sel.orgId,
    orgName: owner.name,
    coOrganisers: coOrganiserRows(app, sel.coOrganiserIds).map((o) => ({ id: o.id, name: o.name, kind: o.kind })),
    name: sel.name,
    year: sel.year,
    presetKey: sel.presetKey,
    titleTypeId: sel.titleTypeId,
    titleName: title.name,
    quota: sel.quota,
    eligibilityRules: rulesOf(sel),
    nominationsOpen: sel.nominationsOpen,
    nominationsClose: sel.nominationsClose,
    reviewBy: sel.reviewBy,
    publicityWorkingDays: sel.publicityWorkingDays,
    namingDate: sel.namingDate,
    reward: rewardOf(sel),
    nominationAwardYuan: sel.nominationAwardYuan,
    titleTermYears: sel.titleTermYears,
    status: sel.status,
    publicityStartsAt: sel.publicityStartsAt?.toISOString() ?? null,
    publicityEndsAt: sel.publicityEndsAt?.toISOString() ?? null,
    namedAt: sel.namedAt?.toISOString() ?? null,
    reviewSetup: sel.reviewSetup ? reviewSetupSchema.parse(sel.reviewSetup) : null,
    reviewClosedAt: sel.reviewClosedAt?.toISOString() ?? null,
    candidateCounts: Object.fromEntries(counts.map((c) => [c.status, Number(c.n)])),
    yourPart,
  };
}

export function presentCandidates(app: FastifyInstance, actor: StaffActor, rows: CandidateRow[]) {
  if (rows.length === 0) return [];
  const persons = new Map(app.db.select().from(people).where(inArray(people.id, rows.map((r) => r.personId))).all().map((p) => [p.id, p]));
  const orgIds = rows.map((r) => r.nominatingOrgId).filter((x): x is number => x !== null);
  const orgNames = new Map(orgIds.length ? app.db.select({ id: organisations.id, name: organisations.name }).from(organisations).where(inArray(organisations.id, orgIds)).all().map((o) => [o.id, o.name]) : []);
  const titles = new Map(
    app.db
      .select()
      .from(personTitles)
      .where(and(inArray(personTitles.selectionId, [...new Set(rows.map((r) => r.selectionId))]), inArray(personTitles.personId, rows.map((r) => r.personId))))
      .all()
      .map((t) => [`${t.selectionId}|${t.personId}`, t]),
  );
  return rows.map((c) => {
    const p = persons.get(c.personId)!;
    const title = titles.get(`${c.selectionId}|${c.personId}`);
    return {
      id: c.id,
      selectionId: c.selectionId,
      personId: c.personId,
      personName: p.name,
      idNumber: seesFullIds(actor) ? p.idNumber : maskResidentId(p.idNumber),
      employerName: employerNameOf(app.db, p),
      occupationName: p.occupationName,
      skillLevel: p.skillLevel,
      source: c.source,
      proposalId: c.proposalId,
      nominatingOrgId: c.nominatingOrgId,
      nominatingOrgName: c.nominatingOrgId ? (orgNames.get(c.nominatingOrgId) ?? null) : null,
      forwardedTitleId: c.forwardedTitleId,
      form: formOf(c),
      eligibility: c.eligibility as EligibilityResult,
      reviewScore: c.reviewScore,
      rank: c.rank,
      proposedAward: c.proposedAward,
      status: c.status,
      withdrawReason: c.withdrawReason,
      personTitleId: title?.id ?? null,
      certificateNumber: title?.certificateNumber ?? null,
    };
  });
}

// ---- Selections ----

export function listSelectionPresets() {
  return Object.values(SELECTION_PRESETS);
}

export function listSelections(app: FastifyInstance, actor: StaffActor, q: { year?: number; status?: Status }) {
  return app.db
    .select({ sel: craftsmanSelections, owner: organisations })
    .from(craftsmanSelections)
    .innerJoin(organisations, eq(organisations.id, craftsmanSelections.orgId))
    .orderBy(asc(craftsmanSelections.year), asc(craftsmanSelections.id))
    .all()
    .filter(({ sel }) => (!q.year || sel.year === q.year) && (!q.status || sel.status === q.status))
    .flatMap(({ sel, owner }) => {
      const part = partOf(app, actor, sel, owner);
      return part ? [presentSelection(app, sel, owner, part)] : [];
    });
}

export function getSelection(app: FastifyInstance, actor: StaffActor, id: number) {
  const { sel, owner, part } = visible(app, actor, id);
  return presentSelection(app, sel, owner, part);
}

/** Co-organising bodies: existing organisations other than the owner (the HR bureau, a department). */
function checkCoOrganisers(app: FastifyInstance, ownerId: number, ids: number[]): number[] {
  const unique = [...new Set(ids)];
  const found = new Set(coOrganiserRows(app, unique).map((o) => o.id));
  unique.forEach((id, i) => {
    if (!found.has(id)) throw invalid(`body.coOrganiserIds.${i}`, `no organisation ${id}`);
    if (id === ownerId) throw invalid(`body.coOrganiserIds.${i}`, 'the union running the selection is not its own co-organiser');
  });
  return unique;
}

export function createSelection(app: FastifyInstance, actor: StaffActor, input: CreateSelectionInput) {
  const preset = input.presetKey ? SELECTION_PRESETS[input.presetKey] : undefined;
  if (input.presetKey && !preset) throw invalid('body.presetKey', `no preset ${input.presetKey}; see GET /api/selections/presets`);
  const ownerId = input.orgId ?? actor.orgId;
  const owner = app.db.select().from(organisations).where(eq(organisations.id, ownerId)).get();
  if (!owner) throw invalid('body.orgId', `no organisation ${ownerId}`);
  assertInScope(actor, owner.path);
  if (owner.kind !== 'union') throw invalid('body.orgId', 'a craftsman selection is run by a union');
  const coOrganiserIds = checkCoOrganisers(app, owner.id, input.coOrganiserIds ?? []);
  const reward = input.reward ?? preset?.reward ?? { kind: 'none' as const };

  return app.db.transaction((tx) => {
    let titleTypeId: number;
    if (input.titleTypeId !== undefined) {
      const visible = [...titleTypesVisible(tx, owner.path)];
      if (!visible.includes(input.titleTypeId)) throw invalid('body.titleTypeId', 'no such title type for this union (its own or one above it)');
      titleTypeId = input.titleTypeId;
    } else {
      const title = input.title ?? preset!.title;
      titleTypeId = ensureTitleType(tx, owner, title, reward.kind === 'one_off' ? reward.yuan : 0).id;
    }
    const row = tx
      .insert(craftsmanSelections)
      .values({
        orgId: owner.id,
        coOrganiserIds,
        name: input.name,
        year: input.year,
        presetKey: input.presetKey ?? null,
        titleTypeId,
        quota: input.quota !== undefined ? input.quota : (preset?.quota ?? null),
        eligibilityRules: input.eligibilityRules ?? preset?.eligibilityRules ?? OPEN_RULES,
        nominationsOpen: input.nominationsOpen,
        nominationsClose: input.nominationsClose,
        reviewBy: input.reviewBy ?? null,
        publicityWorkingDays: input.publicityWorkingDays ?? 5,
        namingDate: input.namingDate ?? null,
        reward,
        nominationAwardYuan: input.nominationAwardYuan !== undefined ? input.nominationAwardYuan : (preset?.nominationAwardYuan ?? null),
        titleTermYears: input.titleTermYears !== undefined ? input.titleTermYears : (preset?.titleTermYears ?? null),
      })
      .returning()
      .get();
    recordAudit(tx, actor, { action: 'selection.create', entityType: 'craftsman_selection', entityId: row.id, orgId: owner.id, after: row });
    return presentSelection(app, row, owner);
  });
}

function titleTypesVisible(tx: Tx, path: string): number[] {
  const ids = path.split('/').filter(Boolean).map(Number);
  return tx.select({ id: titleTypes.id }).from(titleTypes).where(inArray(titleTypes.orgId, ids)).all().map((t) => t.id);
}

/** Settings change while nominations are not yet closed; changed rules are applied again to every open candidate. */
export function updateSelection(app: FastifyInstance, actor: StaffActor, id: number, patch: UpdateSelectionInput) {
  const { sel, owner } = managed(app, actor, id);
  assertStatus(sel, ['draft', 'nominating'], 'Changing the settings');
  const next = { ...patch, ...(patch.coOrganiserIds ? { coOrganiserIds: checkCoOrganisers(app, owner.id, patch.coOrganiserIds) } : {}) };
  const open = next.nominationsOpen ?? sel.nominationsOpen;
  const close = next.nominationsClose ?? sel.nominationsClose;
  if (open > close) throw invalid('body.nominationsClose', 'on or after nominationsOpen');
  if (Object.values(next).every((v) => v === undefined)) return presentSelection(app, sel, owner);
  return app.db.transaction((tx) => {
    const after = tx.update(craftsmanSelections).set(next).where(eq(craftsmanSelections.id, id)).returning().get();
    if (patch.eligibilityRules) recheckAll(app, tx, after);
    recordAudit(tx, actor, { action: 'selection.update', entityType: 'craftsman_selection', entityId: id, orgId: sel.orgId, before: sel, after });
    return presentSelection(app, after, owner);
  });
}

function transition(app: FastifyInstance, actor: StaffActor, id: number, from: Status[], to: Status, what: string, extra: (sel: SelectionRow, tx: Tx) => Partial<SelectionRow> = () => ({})) {
  const { sel, owner } = managed(app, actor, id);
  assertStatus(sel, from, what);
  return app.db.transaction((tx) => {
    const after = tx
      .update(craftsmanSelections)
      .set({ status: to, ...extra(sel, tx) })
      .where(eq(craftsmanSelections.id, id))
      .returning()
      .get();
    recordAudit(tx, actor, { action: `selection.${to}`, entityType: 'craftsman_selection', entityId: id, orgId: sel.orgId, before: { status: sel.status }, after: { status: to, publicityEndsAt: after.publicityEndsAt } });
    return presentSelection(app, after, owner);
  });
}

export const openNominations = (app: FastifyInstance, actor: StaffActor, id: number) => transition(app, actor, id, ['draft'], 'nominating', 'Opening nominations');

export const startReview = (app: FastifyInstance, actor: StaffActor, id: number) => transition(app, actor, id, ['nominating'], 'reviewing', 'Starting the review');

/** The list goes up for the publicity period (公示期), counted in working days by the holiday calendar. */
export function startPublicity(app: FastifyInstance, actor: StaffActor, id: number) {
  return transition(app, actor, id, ['reviewing'], 'publicity', 'Starting the publicity period', (sel, tx) => {
    const onList = tx
      .select({ id: craftsmanCandidates.id })
      .from(craftsmanCandidates)
      .where(and(eq(craftsmanCandidates.selectionId, id), eq(craftsmanCandidates.status, 'proposed')))
      .get();
    if (!onList) throw conflict('no_proposed_list', 'Set the proposed list first (PUT /api/selections/:id/proposed-list)');
    assertReviewSettled(tx, sel);
    const now = app.clock.now();
    return { publicityStartsAt: now, publicityEndsAt: selectionPublicityEnd(now, sel.publicityWorkingDays, workingCalendar(app.db)) };
  });
}

/**
 * Before the list of a reviewed selection goes up: the review is closed, the committee has placed
 * (or declined to place) anyone tied at the quota line, and, when a committee is set, its vote on
 * the list passed under the setup's majority rule.
 */
function assertReviewSettled(tx: Tx, sel: SelectionRow): void {
  if (!sel.reviewSetup) return;
  if (!sel.reviewClosedAt) throw conflict('review_open', 'Close the review first (POST /api/selections/:id/close-review)');
  const pending = tx.select({ id: craftsmanCandidates.id }).from(craftsmanCandidates).where(and(eq(craftsmanCandidates.selectionId, sel.id), eq(craftsmanCandidates.status, 'nominated'))).all();
  if (pending.length) throw new AppError(409, 'tie_undecided', `${pending.length} candidate(s) tied at the quota line wait for the committee (POST /api/selections/:id/tie-decision)`, undefined, { tied: pending.length });
  const tally = committeeTally(tx, sel);
  if (tally && !tally.passed)
    throw new AppError(409, 'vote_not_passed', `The committee's vote has not passed (${tally.for} for, ${tally.forNeeded} needed under ${tally.rule})`, undefined, { for: tally.for, forNeeded: tally.forNeeded, rule: tally.rule });
}

export const closeSelection = (app: FastifyInstance, actor: StaffActor, id: number) => transition(app, actor, id, ['named'], 'closed', 'Closing the selection');

// ---- Candidates ----

/** The rules applied to what is known of a candidate today. */
function eligibilityOf(tx: Tx, sel: SelectionRow, personId: number, form: NominationForm, asOf: string): EligibilityResult {
  const person = tx.select().from(people).where(eq(people.id, personId)).get()!;
  const holds = holdsTitle(tx, sel, personId);
  return checkEligibility(
    rulesOf(sel),
    {
      birthDate: person.birthDate,
      skillLevel: person.skillLevel,
      occupationCode: person.occupationCode,
      frontLine: form.frontLine,
      yearsInTrade: form.yearsInTrade,
      stillInTrade: form.stillInTrade,
      skillConditions: form.skillConditions,
      declaredNoDisciplinaryRecord: form.declaredNoDisciplinaryRecord,
      holdsTitle: !!holds,
    },
    asOf,
  );
}

/**
 * Whether the person already holds the selection's title: its title type, or one of the same
 * name kept by another body (a county that installed the Feixi rules has its own 合肥工匠 type
 * for recommendations): a title is never conferred twice.
 */
function holdsTitle(tx: Tx, sel: SelectionRow, personId: number): boolean {
  const name = tx.select({ name: titleTypes.name }).from(titleTypes).where(eq(titleTypes.id, sel.titleTypeId)).get()!.name;
  return !!tx
    .select({ id: personTitles.id })
    .from(personTitles)
    .innerJoin(titleTypes, eq(titleTypes.id, personTitles.titleTypeId))
    .where(and(eq(personTitles.personId, personId), or(eq(personTitles.titleTypeId, sel.titleTypeId), eq(titleTypes.name, name))))
    .get();
}

/** Candidates whose standing the rules decide: not withdrawn, not yet on or off a list. */
const CHECKABLE: CandidateRow['status'][] = ['nominated', 'ineligible'];

function recheckAll(app: FastifyInstance, tx: Tx, sel: SelectionRow): CandidateRow[] {
  const rows = tx
    .select()
    .from(craftsmanCandidates)
    .where(and(eq(craftsmanCandidates.selectionId, sel.id), inArray(craftsmanCandidates.status, CHECKABLE)))
    .all();
  return rows.map((c) => {
    const eligibility = eligibilityOf(tx, sel, c.personId, formOf(c), today(app));
    return tx
      .update(craftsmanCandidates)
      .set({ eligibility, status: eligibility.eligible ? 'nominated' : 'ineligible', updatedAt: app.clock.now() })
      .where(eq(craftsmanCandidates.id, c.id))
      .returning()
      .get();
  });
}

function assertNominationsOpen(app: FastifyInstance, sel: SelectionRow): void {
  assertStatus(sel, ['nominating'], 'Nominating');
  const window = nominationWindow(today(app), sel.nominationsOpen, sel.nominationsClose);
  if (window === 'not_open') throw conflict('nominations_not_open', `Nominations open on ${sel.nominationsOpen}`);
  if (window === 'closed') throw conflict('nominations_closed', `Nominations closed on ${sel.nominationsClose}`);
}

function insertCandidate(app: FastifyInstance, tx: Tx, actor: StaffActor, sel: SelectionRow, values: Pick<CandidateRow, 'personId' | 'source'> & Partial<Pick<CandidateRow, 'proposalId' | 'nominatingOrgId' | 'forwardedTitleId'>> & { form: NominationForm }) {
  const existing = tx
    .select({ id: craftsmanCandidates.id })
    .from(craftsmanCandidates)
    .where(and(eq(craftsmanCandidates.selectionId, sel.id), eq(craftsmanCandidates.personId, values.personId)))
    .get();
  if (existing) throw new AppError(409, 'already_candidate', `This person is already a candidate of this selection (candidate ${existing.id})`, undefined, { candidateId: existing.id });
  const eligibility = eligibilityOf(tx, sel, values.personId, values.form, today(app));
  const row = tx
    .insert(craftsmanCandidates)
    .values({ ...values, selectionId: sel.id, eligibility, status: eligibility.eligible ? 'nominated' : 'ineligible', recordedBy: actor.accountId, updatedAt: app.clock.now() })
    .returning()
    .get();
  recordAudit(tx, actor, { action: 'selection.nominate', entityType: 'craftsman_candidate', entityId: row.id, orgId: sel.orgId, after: row });
  return row;
}

/**
 * A nomination by a unit (with its form), a self-nomination recorded by staff, or a title named
 * by a lower union forwarded up. Checked against the rules at once: an ineligible candidate is
 * kept with the reasons, so the form can be completed and checked again.
 */
export function nominate(app: FastifyInstance, actor: StaffActor, selectionId: number, input: NominateInput) {
  const { sel, owner, part } = visible(app, actor, selectionId);
  assertNominationsOpen(app, sel);
  let personId: number;
  const extra: Partial<Pick<CandidateRow, 'forwardedTitleId' | 'nominatingOrgId'>> = {};
  if (input.source === 'forwarded') {
    const found = app.db
      .select({ t: personTitles, type: titleTypes, path: organisations.path })
      .from(personTitles)
      .innerJoin(titleTypes, eq(titleTypes.id, personTitles.titleTypeId))
      .innerJoin(organisations, eq(organisations.id, titleTypes.orgId))
      .where(eq(personTitles.id, input.personTitleId))
      .get();
    if (!found) throw invalid('body.personTitleId', `no title ${input.personTitleId}`);
    if (!found.path.startsWith(owner.path) || found.path === owner.path) throw invalid('body.personTitleId', 'a forwarded nomination carries a title named by a union under this one');
    if (found.t.revokedAt) throw invalid('body.personTitleId', 'this title was revoked');
    personId = found.t.personId;
    extra.forwardedTitleId = found.t.id;
    // Forwarded by the union that named the title (下级工会转报): it stands as the nominating body.
    extra.nominatingOrgId = found.type.orgId;
  } else {
    personId = input.personId;
    if (input.source === 'unit_nomination') {
      const org = app.db.select({ id: organisations.id, path: organisations.path }).from(organisations).where(eq(organisations.id, input.nominatingOrgId)).get();
      if (!org) throw invalid('body.nominatingOrgId', `no organisation ${input.nominatingOrgId}`);
      // Below the running union one nominates on behalf of one's own union or unit, not another's.
      if (part === 'nominating_unit' && !inScope(actor, org.path)) throw invalid('body.nominatingOrgId', 'nominate on behalf of your own union or a unit under it');
      extra.nominatingOrgId = org.id;
    }
  }
  getPersonInScope(app.db, actor, personId);
  const row = app.db.transaction((tx) => insertCandidate(app, tx, actor, sel, { personId, source: input.source, form: input.form, ...extra }), { behavior: 'immediate' });
  return presentCandidates(app, actor, [row])[0]!;
}

/**
 * Turns released competition recommendations into candidates: award proposals of kind
 * 'recommendation' for this selection's title (by name), approved by both the union and the HR
 * bureau (which the titles feature allows only once the results stand), from competitions run in
 * the selection's union's subtree in its year or the year before. Run it again and it adds only
 * the new ones.
 */
export function importRecommendations(app: FastifyInstance, actor: StaffActor, selectionId: number) {
  const { sel, owner } = managed(app, actor, selectionId);
  assertNominationsOpen(app, sel);
  const title = app.db.select().from(titleTypes).where(eq(titleTypes.id, sel.titleTypeId)).get()!;
  const proposals = app.db.$client
    .prepare<(string | number)[], { id: number; person_id: number; reason: string }>(
      `select p.id, p.person_id, p.reason from award_proposals p
       join events e on e.id = p.event_id join competitions c on c.id = e.competition_id join organisations o on o.id = c.org_id
       where p.kind = 'recommendation' and p.status = 'approved' and p.recommended_title = ? and e.released_at is not null
         and o.path like ? and p.year between ? and ? order by p.id`,
    )
    .all(title.name, `${owner.path}%`, sel.year - 1, sel.year);
  const added: CandidateRow[] = [];
  const skipped: { proposalId: number; personId: number; reason: string }[] = [];
  app.db.transaction(
    (tx) => {
      const present = new Map(tx.select().from(craftsmanCandidates).where(eq(craftsmanCandidates.selectionId, sel.id)).all().map((c) => [c.personId, c]));
      for (const p of proposals) {
        const already = present.get(p.person_id);
        if (already) {
          skipped.push({ proposalId: p.id, personId: p.person_id, reason: already.proposalId === p.id ? '已导入' : '已是本次评选的候选人' });
          continue;
        }
        const row = insertCandidate(app, tx, actor, sel, { personId: p.person_id, source: 'competition_recommendation', proposalId: p.id, form: nominationFormSchema.parse({ achievements: [p.reason] }) });
        present.set(row.personId, row);
        added.push(row);
      }
      recordAudit(tx, actor, { action: 'selection.import_recommendations', entityType: 'craftsman_selection', entityId: sel.id, orgId: sel.orgId, after: { added: added.map((c) => c.id), skipped } });
    },
    { behavior: 'immediate' },
  );
  return { added: presentCandidates(app, actor, added), skipped };
}

/** Every candidate for those reading the selection in full; a nominating unit sees only the people in its own scope. */
export function listCandidates(app: FastifyInstance, actor: StaffActor, selectionId: number) {
  const { part } = visible(app, actor, selectionId);
  const rows = app.db
    .select({ c: craftsmanCandidates, path: organisations.path })
    .from(craftsmanCandidates)
    .innerJoin(people, eq(people.id, craftsmanCandidates.personId))
    .innerJoin(organisations, eq(organisations.id, people.orgId))
    .where(eq(craftsmanCandidates.selectionId, selectionId))
    .orderBy(sql`${craftsmanCandidates.rank} is null`, asc(craftsmanCandidates.rank), asc(craftsmanCandidates.id))
    .all();
  return presentCandidates(
    app,
    actor,
    rows.filter((r) => part !== 'nominating_unit' || inScope(actor, r.path)).map((r) => r.c),
  );
}

/**
 * Titles the caller may forward into this selection (下级工会推荐): conferred by a union below the
 * running one, standing (not revoked), held by someone in the caller's scope who is not a
 * candidate yet. A county union forwards its 肥西工匠 to the city's 合肥工匠.
 */
export function forwardableTitles(app: FastifyInstance, actor: StaffActor, selectionId: number) {
  const { owner } = visible(app, actor, selectionId);
  const taken = new Set(app.db.select({ personId: craftsmanCandidates.personId }).from(craftsmanCandidates).where(eq(craftsmanCandidates.selectionId, selectionId)).all().map((c) => c.personId));
  const conferrer = alias(organisations, 'conferrer');
  const home = alias(organisations, 'home');
  return app.db
    .select({ t: personTitles, titleName: titleTypes.name, level: titleTypes.level, conferredBy: conferrer.name, conferrerPath: conferrer.path, personName: people.name, homePath: home.path })
    .from(personTitles)
    .innerJoin(titleTypes, eq(titleTypes.id, personTitles.titleTypeId))
    .innerJoin(conferrer, eq(conferrer.id, titleTypes.orgId))
    .innerJoin(people, eq(people.id, personTitles.personId))
    .innerJoin(home, eq(home.id, people.orgId))
    .where(isNull(personTitles.revokedAt))
    .orderBy(asc(personTitles.conferredAt), asc(personTitles.id))
    .all()
    .filter((r) => r.conferrerPath.startsWith(owner.path) && r.conferrerPath !== owner.path && inScope(actor, r.homePath) && !taken.has(r.t.personId))
    .map((r) => ({
      personTitleId: r.t.id,
      personId: r.t.personId,
      personName: r.personName,
      titleName: r.titleName,
      level: r.level,
      conferredBy: r.conferredBy,
      conferredAt: r.t.conferredAt.toISOString(),
      certificateNumber: r.t.certificateNumber,
    }));
}

function loadCandidate(app: FastifyInstance, id: number): CandidateRow {
  const row = app.db.select().from(craftsmanCandidates).where(eq(craftsmanCandidates.id, id)).get();
  if (!row) throw notFound('Candidate');
  return row;
}

/** The form completed or corrected (before the review), and the rules applied again. */
export function updateCandidate(app: FastifyInstance, actor: StaffActor, candidateId: number, form: NominationForm) {
  const before = loadCandidate(app, candidateId);
  const { sel, part } = visible(app, actor, before.selectionId);
  // A nominating unit corrects only the forms of its own people.
  if (part === 'nominating_unit') getPersonInScope(app.db, actor, before.personId);
  assertStatus(sel, ['nominating'], 'Changing a nomination form');
  if (!CHECKABLE.includes(before.status)) throw conflict('candidate_decided', `This candidate is ${before.status}`);
  const after = app.db.transaction((tx) => {
    const eligibility = eligibilityOf(tx, sel, before.personId, form, today(app));
    const row = tx
      .update(craftsmanCandidates)
      .set({ form, eligibility, status: eligibility.eligible ? 'nominated' : 'ineligible', updatedAt: app.clock.now() })
      .where(eq(craftsmanCandidates.id, candidateId))
      .returning()
      .get();
    recordAudit(tx, actor, { action: 'selection.candidate_update', entityType: 'craftsman_candidate', entityId: candidateId, orgId: sel.orgId, before, after: row });
    return row;
  });
  return presentCandidates(app, actor, [after])[0]!;
}

/** Every open candidate checked again against the rules as they stand today. */
export function recheckEligibility(app: FastifyInstance, actor: StaffActor, selectionId: number) {
  const { sel } = managed(app, actor, selectionId);
  assertStatus(sel, ['nominating', 'reviewing'], 'Checking eligibility');
  const rows = app.db.transaction((tx) => {
    const updated = recheckAll(app, tx, sel);
    recordAudit(tx, actor, {
      action: 'selection.recheck',
      entityType: 'craftsman_selection',
      entityId: sel.id,
      orgId: sel.orgId,
      after: updated.map((c) => ({ candidateId: c.id, status: c.status, failures: (c.eligibility as EligibilityResult).failures.map((f) => f.code) })),
    });
    return updated;
  });
  return presentCandidates(app, actor, rows);
}

export function withdrawCandidate(app: FastifyInstance, actor: StaffActor, candidateId: number, reason: string) {
  const before = loadCandidate(app, candidateId);
  const { sel } = managed(app, actor, before.selectionId);
  assertStatus(sel, ['nominating', 'reviewing'], 'Withdrawing a candidate');
  if (before.status === 'withdrawn') throw conflict('candidate_decided', 'This candidate was already withdrawn');
  const after = app.db.transaction((tx) => {
    const row = tx
      .update(craftsmanCandidates)
      .set({ status: 'withdrawn', withdrawReason: reason, rank: null, proposedAward: null, updatedAt: app.clock.now() })
      .where(eq(craftsmanCandidates.id, candidateId))
      .returning()
      .get();
    recordAudit(tx, actor, { action: 'selection.withdraw', entityType: 'craftsman_candidate', entityId: candidateId, orgId: sel.orgId, before, after: row });
    return row;
  });
  return presentCandidates(app, actor, [after])[0]!;
}

// ---- Review by hand (selections without a review setup) ----

/**
 * The ranked proposed list with review scores, set by the organiser. Only eligible candidates may
 * be on it; titles within the quota; the nomination award only where the selection has one.
 * Candidates left off are not selected (setting the list again during the review reconsiders them).
 */
export function setProposedList(app: FastifyInstance, actor: StaffActor, selectionId: number, items: { candidateId: number; reviewScore: number | null; award: 'title' | 'nomination_award' }[]) {
  const { sel } = managed(app, actor, selectionId);
  assertStatus(sel, ['reviewing'], 'Setting the proposed list');
  if (sel.reviewSetup) throw conflict('list_from_review', 'This selection is reviewed on its review setup: the proposed list comes from the ranking (POST /api/selections/:id/close-review)');
  const candidates = new Map(app.db.select().from(craftsmanCandidates).where(eq(craftsmanCandidates.selectionId, selectionId)).all().map((c) => [c.id, c]));
  const seen = new Set<number>();
  items.forEach((item, i) => {
    const field = `body.items.${i}.candidateId`;
    const c = candidates.get(item.candidateId);
    if (!c) throw invalid(field, `candidate ${item.candidateId} is not in this selection`);
    if (seen.has(item.candidateId)) throw invalid(field, 'listed twice');
    seen.add(item.candidateId);
    if (c.status === 'ineligible') throw invalid(field, `ineligible: ${(c.eligibility as EligibilityResult).failures.map((f) => f.reason).join('；')}`, 'candidate_ineligible');
    if (c.status === 'withdrawn') throw invalid(field, 'withdrawn', 'candidate_withdrawn');
    if (item.award === 'nomination_award' && sel.nominationAwardYuan === null) throw invalid(`body.items.${i}.award`, 'this selection has no nomination award (提名奖)');
  });
  const titles = items.filter((i) => i.award === 'title').length;
  if (sel.quota !== null && titles > sel.quota) throw invalid('body.items', `${titles} titles proposed; the quota is ${sel.quota}`, 'over_quota');
  const rows = app.db.transaction((tx) => {
    const now = app.clock.now();
    items.forEach((item, i) =>
      tx.update(craftsmanCandidates).set({ status: 'proposed', rank: i + 1, reviewScore: item.reviewScore, proposedAward: item.award, updatedAt: now }).where(eq(craftsmanCandidates.id, item.candidateId)).run(),
    );
    for (const c of candidates.values())
      if (!seen.has(c.id) && (c.status === 'nominated' || c.status === 'proposed'))
        tx.update(craftsmanCandidates).set({ status: 'not_selected', rank: null, proposedAward: null, updatedAt: now }).where(eq(craftsmanCandidates.id, c.id)).run();
    recordAudit(tx, actor, { action: 'selection.proposed_list', entityType: 'craftsman_selection', entityId: sel.id, orgId: sel.orgId, after: { items } });
    return tx.select().from(craftsmanCandidates).where(eq(craftsmanCandidates.selectionId, selectionId)).orderBy(sql`${craftsmanCandidates.rank} is null`, asc(craftsmanCandidates.rank), asc(craftsmanCandidates.id)).all();
  });
  return presentCandidates(app, actor, rows);
}

// ---- Publicity and objections ----

function presentObjections(app: FastifyInstance, rows: (typeof craftsmanObjections.$inferSelect)[]) {
  if (rows.length === 0) return [];
  const names = new Map(
    app.db
      .select({ id: craftsmanCandidates.id, name: people.name })
      .from(craftsmanCandidates)
      .innerJoin(people, eq(people.id, craftsmanCandidates.personId))
      .where(inArray(craftsmanCandidates.id, rows.map((r) => r.candidateId)))
      .all()
      .map((r) => [r.id, r.name]),
  );
  return rows.map((o) => ({
    id: o.id,
    selectionId: o.selectionId,
    candidateId: o.candidateId,
    personName: names.get(o.candidateId) ?? '',
    lodgedBy: o.lodgedBy,
    contact: o.contact,
    reason: o.reason,
    lodgedAt: o.lodgedAt.toISOString(),
    recordedBy: o.recordedBy,
    decision: o.decision,
    decidedAt: o.decidedAt?.toISOString() ?? null,
    decidedBy: o.decidedBy,
    note: o.note,
  }));
}

export function listObjections(app: FastifyInstance, actor: StaffActor, selectionId: number) {
  readable(app, actor, selectionId);
  return presentObjections(app, app.db.select().from(craftsmanObjections).where(eq(craftsmanObjections.selectionId, selectionId)).orderBy(asc(craftsmanObjections.id)).all());
}

/**
 * An objection (异议) against a candidate on the list, during the publicity period: lodged on the
 * public page (`actor` null) or written down by staff from a letter or a call.
 */
export function lodgeObjection(app: FastifyInstance, actor: StaffActor | null, selectionId: number, input: { candidateId: number; lodgedBy: string; contact?: string; reason: string }) {
  const { sel } = actor ? managed(app, actor, selectionId) : loadSelection(app, selectionId);
  // The public sees a selection only once its list is up: anything earlier is answered like no selection.
  if (!actor && !['publicity', 'named', 'closed'].includes(sel.status)) throw notFound('Selection');
  // A list already named was public; its publicity is over, and the answer says so.
  if (sel.status === 'named' || sel.status === 'closed') throw conflict('publicity_over', 'The publicity period is over: the list has been named');
  const now = app.clock.now();
  assertStatus(sel, ['publicity'], 'Lodging an objection');
  if (sel.publicityEndsAt && now >= sel.publicityEndsAt) throw conflict('publicity_over', `The publicity period ended at ${sel.publicityEndsAt.toISOString()}`);
  const candidate = app.db.select().from(craftsmanCandidates).where(eq(craftsmanCandidates.id, input.candidateId)).get();
  if (!candidate || candidate.selectionId !== selectionId || candidate.status !== 'proposed') throw invalid('body.candidateId', 'not on this selection’s publicity list');
  const row = app.db.transaction((tx) => {
    const inserted = tx
      .insert(craftsmanObjections)
      .values({ selectionId, candidateId: candidate.id, lodgedBy: input.lodgedBy, contact: input.contact ?? null, reason: input.reason, lodgedAt: now, recordedBy: actor?.accountId ?? null })
      .returning()
      .get();
    recordAudit(tx, actor, { action: 'selection.objection_lodge', entityType: 'craftsman_objection', entityId: inserted.id, orgId: sel.orgId, after: inserted });
    return inserted;
  });
  return presentObjections(app, [row])[0]!;
}

/** The decision: upheld takes the candidate off the list (they are not named); dismissed leaves it. */
export function decideObjection(app: FastifyInstance, actor: StaffActor, objectionId: number, input: { decision: 'upheld' | 'dismissed'; note: string }) {
  const before = app.db.select().from(craftsmanObjections).where(eq(craftsmanObjections.id, objectionId)).get();
  if (!before) throw notFound('Objection');
  const { sel } = managed(app, actor, before.selectionId);
  assertStatus(sel, ['publicity'], 'Deciding an objection');
  if (before.decision) throw conflict('already_decided', `This objection was already ${before.decision}`);
  const row = app.db.transaction((tx) => {
    const now = app.clock.now();
    const after = tx.update(craftsmanObjections).set({ decision: input.decision, note: input.note, decidedAt: now, decidedBy: actor.accountId }).where(eq(craftsmanObjections.id, objectionId)).returning().get();
    let candidate: { before: CandidateRow; after: CandidateRow } | null = null;
    if (input.decision === 'upheld') {
      const c = tx.select().from(craftsmanCandidates).where(eq(craftsmanCandidates.id, before.candidateId)).get()!;
      if (c.status === 'proposed')
        candidate = { before: c, after: tx.update(craftsmanCandidates).set({ status: 'not_selected', rank: null, proposedAward: null, updatedAt: now }).where(eq(craftsmanCandidates.id, c.id)).returning().get() };
    }
    recordAudit(tx, actor, {
      action: `selection.objection_${input.decision}`,
      entityType: 'craftsman_objection',
      entityId: objectionId,
      orgId: sel.orgId,
      before,
      after: { objection: after, candidate: candidate && { id: candidate.after.id, before: candidate.before.status, after: candidate.after.status } },
    });
    return after;
  });
  return presentObjections(app, [row])[0]!;
}

/** The public index: every selection whose list is up or named, newest year first (no sign-in). */
export function listPublicSelections(app: FastifyInstance) {
  const rows = app.db
    .select({ sel: craftsmanSelections, owner: organisations.name, title: titleTypes.name })
    .from(craftsmanSelections)
    .innerJoin(organisations, eq(organisations.id, craftsmanSelections.orgId))
    .innerJoin(titleTypes, eq(titleTypes.id, craftsmanSelections.titleTypeId))
    .where(inArray(craftsmanSelections.status, ['publicity', 'named', 'closed']))
    .orderBy(sql`${craftsmanSelections.year} desc`, sql`${craftsmanSelections.id} desc`)
    .all();
  return rows.map(({ sel, owner, title }) => ({
    id: sel.id,
    name: sel.name,
    year: sel.year,
    titleName: title,
    organiser: owner,
    stage: sel.status === 'publicity' ? ('publicity' as const) : ('named' as const),
    publicityEndsAt: sel.publicityEndsAt?.toISOString() ?? null,
    namedAt: sel.namedAt?.toISOString() ?? null,
    ...listCounts(publicSelection(app, sel.id).list),
  }));
}

/** The same list the selection's public page shows (revoked titles leave it), with its nomination awards apart. */
function listCounts(list: readonly { award: 'title' | 'nomination_award' }[]) {
  return { listed: list.length, nominationAwards: list.filter((r) => r.award === 'nomination_award').length };
}

/** The public page: the list in publicity, or the named list. Never an ID number. */
export function publicSelection(app: FastifyInstance, selectionId: number) {
  const found = app.db.select({ sel: craftsmanSelections, owner: organisations }).from(craftsmanSelections).innerJoin(organisations, eq(organisations.id, craftsmanSelections.orgId)).where(eq(craftsmanSelections.id, selectionId)).get();
  if (!found || !['publicity', 'named', 'closed'].includes(found.sel.status)) throw notFound('Selection');
  const { sel, owner } = found;
  const stage = sel.status === 'publicity' ? ('publicity' as const) : ('named' as const);
  const shown: CandidateRow['status'][] = stage === 'publicity' ? ['proposed'] : ['named', 'nomination_award'];
  const rows = app.db
    .select({ c: craftsmanCandidates, p: people })
    .from(craftsmanCandidates)
    .innerJoin(people, eq(people.id, craftsmanCandidates.personId))
    .where(and(eq(craftsmanCandidates.selectionId, selectionId), inArray(craftsmanCandidates.status, shown)))
    .orderBy(asc(craftsmanCandidates.rank), asc(craftsmanCandidates.id))
    .all();
  const certificates = new Map(
    app.db
      .select({ personId: personTitles.personId, number: personTitles.certificateNumber, revokedAt: personTitles.revokedAt })
      .from(personTitles)
      .where(eq(personTitles.selectionId, selectionId))
      .all()
      .map((t) => [t.personId, t]),
  );
  const title = app.db.select({ name: titleTypes.name }).from(titleTypes).where(eq(titleTypes.id, sel.titleTypeId)).get()!;
  const now = app.clock.now();
  return {
    id: sel.id,
    name: sel.name,
    year: sel.year,
    titleName: title.name,
    organiser: owner.name,
    stage,
    publicityStartsAt: sel.publicityStartsAt?.toISOString() ?? null,
    publicityEndsAt: sel.publicityEndsAt?.toISOString() ?? null,
    objectionsOpen: stage === 'publicity' && !!sel.publicityEndsAt && now < sel.publicityEndsAt,
    namedAt: sel.namedAt?.toISOString() ?? null,
    list: rows
      // A revoked title leaves the named list.
      .filter(({ c, p }) => c.status !== 'named' || !certificates.get(p.id)?.revokedAt)
      .map(({ c, p }) => ({
        candidateId: c.id,
        rank: c.rank,
        name: p.name,
        gender: p.gender,
        employerName: employerNameOf(app.db, p),
        occupationName: p.occupationName,
        position: formOf(c).position,
        award: c.status === 'nomination_award' || c.proposedAward === 'nomination_award' ? ('nomination_award' as const) : ('title' as const),
        certificateNumber: c.status === 'named' ? (certificates.get(p.id)?.number ?? null) : null,
      })),
  };
}

// ---- Naming and conferral ----

/**
 * Names the list once the publicity period is over and every objection is decided: a title row
 * per craftsman (person_titles, with its certificate number and term), never twice: someone who
 * meanwhile received the title another way is refused with the reason and left unnamed.
 */
export function nameSelection(app: FastifyInstance, actor: StaffActor, selectionId: number) {
  const { sel, owner } = managed(app, actor, selectionId);
  assertStatus(sel, ['publicity'], 'Naming');
  const now = app.clock.now();
  if (!sel.publicityEndsAt || now < sel.publicityEndsAt) throw conflict('publicity_running', `The publicity period runs until ${sel.publicityEndsAt?.toISOString()}`);
  const open = app.db.select({ id: craftsmanObjections.id }).from(craftsmanObjections).where(and(eq(craftsmanObjections.selectionId, selectionId), isNull(craftsmanObjections.decision))).all();
  if (open.length) throw new AppError(409, 'objections_open', `${open.length} objection(s) still wait for a decision`, undefined, { open: open.length });
  const namedOn = namingDay(sel.namingDate, now);
  const ends = termEnds(namedOn, sel.titleTermYears);
  const named: { candidateId: number; personId: number; personName: string; personTitleId: number; certificateNumber: string; termEnds: string | null }[] = [];
  const nominationAwards: { candidateId: number; personId: number; personName: string }[] = [];
  const refused: { candidateId: number; personId: number; personName: string; code: string; reason: string }[] = [];
  const after = app.db.transaction(
    (tx) => {
      const list = tx
        .select({ c: craftsmanCandidates, name: people.name })
        .from(craftsmanCandidates)
        .innerJoin(people, eq(people.id, craftsmanCandidates.personId))
        .where(eq(craftsmanCandidates.selectionId, selectionId))
        .orderBy(asc(craftsmanCandidates.rank), asc(craftsmanCandidates.id))
        .all();
      let seq = 0;
      for (const { c, name } of list) {
        if (c.status === 'nominated') {
          tx.update(craftsmanCandidates).set({ status: 'not_selected', updatedAt: now }).where(eq(craftsmanCandidates.id, c.id)).run();
          continue;
        }
        if (c.status !== 'proposed') continue;
        if (c.proposedAward === 'nomination_award') {
          tx.update(craftsmanCandidates).set({ status: 'nomination_award', updatedAt: now }).where(eq(craftsmanCandidates.id, c.id)).run();
          nominationAwards.push({ candidateId: c.id, personId: c.personId, personName: name });
          continue;
        }
        if (holdsTitle(tx, sel, c.personId)) {
          const failure = { code: 'already_holds_title' as const, reason: '已获得该称号，同一称号不重复授予' };
          const prior = c.eligibility as EligibilityResult;
          tx.update(craftsmanCandidates)
            .set({ status: 'ineligible', eligibility: { eligible: false, checkedOn: chinaDate(now), failures: [...prior.failures, failure] }, updatedAt: now })
            .where(eq(craftsmanCandidates.id, c.id))
            .run();
          refused.push({ candidateId: c.id, personId: c.personId, personName: name, ...failure });
          continue;
        }
        const number = certificateNumber(sel.year, sel.id, ++seq);
        const title = tx
          .insert(personTitles)
          .values({ personId: c.personId, titleTypeId: sel.titleTypeId, conferredAt: now, selectionId: sel.id, certificateNumber: number, termEnds: ends })
          .returning()
          .get();
        tx.update(craftsmanCandidates).set({ status: 'named', updatedAt: now }).where(eq(craftsmanCandidates.id, c.id)).run();
        named.push({ candidateId: c.id, personId: c.personId, personName: name, personTitleId: title.id, certificateNumber: number, termEnds: ends });
      }
      const row = tx.update(craftsmanSelections).set({ status: 'named', namedAt: now }).where(eq(craftsmanSelections.id, selectionId)).returning().get();
      recordAudit(tx, actor, { action: 'selection.name', entityType: 'craftsman_selection', entityId: sel.id, orgId: sel.orgId, before: { status: sel.status }, after: { status: 'named', named, nominationAwards, refused } });
      return row;
    },
    { behavior: 'immediate' },
  );
  return { selection: presentSelection(app, after, owner), named, nominationAwards, refused };
}

// ---- Rewards ----

function recipientsOf(app: FastifyInstance, sel: SelectionRow) {
  const reward = rewardOf(sel);
  const rows = app.db
    .select({ c: craftsmanCandidates, name: people.name })
    .from(craftsmanCandidates)
    .innerJoin(people, eq(people.id, craftsmanCandidates.personId))
    .where(and(eq(craftsmanCandidates.selectionId, sel.id), inArray(craftsmanCandidates.status, ['named', 'nomination_award'])))
    .orderBy(asc(craftsmanCandidates.rank), asc(craftsmanCandidates.id))
    .all();
  const titles = new Map(app.db.select().from(personTitles).where(eq(personTitles.selectionId, sel.id)).all().map((t) => [t.personId, t]));
  return rows.map(({ c, name }) => {
    const award = c.status === 'named' ? ('title' as const) : ('nomination_award' as const);
    const title = award === 'title' ? titles.get(c.personId) : undefined;
    return { candidateId: c.id, personId: c.personId, personName: name, award, personTitleId: title?.id ?? null, revoked: !!title?.revokedAt, due: amountDue(award, reward, sel.nominationAwardYuan) };
  });
}

const presentPayment = (p: typeof craftsmanRewardPayments.$inferSelect) => ({
  id: p.id,
  candidateId: p.candidateId,
  personTitleId: p.personTitleId,
  paidOn: p.paidOn,
  amountYuan: p.amountYuan,
  voucherNumber: p.voucherNumber,
  budgetYear: p.budgetYear,
  recordedBy: p.recordedBy,
});

function paymentsOf(app: FastifyInstance, candidateIds: number[]) {
  return candidateIds.length
    ? app.db.select().from(craftsmanRewardPayments).where(inArray(craftsmanRewardPayments.candidateId, candidateIds)).orderBy(asc(craftsmanRewardPayments.id)).all()
    : [];
}

/** What each recipient is due and was paid, with totals per selection and per budget year. */
export function rewards(app: FastifyInstance, actor: StaffActor, selectionId: number) {
  const { sel } = readable(app, actor, selectionId);
  const recipients = recipientsOf(app, sel);
  const payments = paymentsOf(app, recipients.map((r) => r.candidateId));
  const totals = rewardTotals(recipients, payments);
  const byId = new Map(totals.byRecipient.map((r) => [r.candidateId, r]));
  return {
    selectionId: sel.id,
    reward: rewardOf(sel),
    nominationAwardYuan: sel.nominationAwardYuan,
    due: totals.due,
    paid: totals.paid,
    outstanding: totals.outstanding,
    recipients: recipients.map((r) => ({ ...r, paid: byId.get(r.candidateId)!.paid, outstanding: byId.get(r.candidateId)!.outstanding })),
    byBudgetYear: totals.byBudgetYear,
    payments: payments.map(presentPayment),
  };
}

/** A payment with its voucher; never more than is due, never on a revoked title. */
export function recordPayment(app: FastifyInstance, actor: StaffActor, selectionId: number, input: { candidateId: number; paidOn: string; amountYuan: number; voucherNumber: string; budgetYear: number }) {
  const { sel } = managed(app, actor, selectionId);
  assertStatus(sel, ['named', 'closed'], 'Recording a reward payment');
  const recipient = recipientsOf(app, sel).find((r) => r.candidateId === input.candidateId);
  if (!recipient) throw invalid('body.candidateId', 'not a named craftsman or nomination award winner of this selection');
  if (recipient.revoked) throw conflict('title_revoked', 'The title was revoked: its reward is no longer paid');
  const amount = toFen(input.amountYuan);
  const paidSoFar = paymentsOf(app, [recipient.candidateId]).reduce((sum, p) => toFen(sum + p.amountYuan), 0);
  const over = overpayment(recipient.due, paidSoFar, amount);
  if (over)
    throw new AppError(409, 'overpayment', `${amount} yuan would exceed what is due (${recipient.due} yuan, ${over.outstanding} outstanding)`, [{ field: 'body.amountYuan', message: `at most ${over.outstanding}` }], {
      outstanding: over.outstanding,
    });
  const row = app.db.transaction((tx) => {
    const inserted = tx
      .insert(craftsmanRewardPayments)
      .values({ candidateId: recipient.candidateId, personTitleId: recipient.personTitleId, paidOn: input.paidOn, amountYuan: amount, voucherNumber: input.voucherNumber, budgetYear: input.budgetYear, recordedBy: actor.accountId })
      .returning()
      .get();
    recordAudit(tx, actor, { action: 'selection.reward_payment', entityType: 'craftsman_reward_payment', entityId: inserted.id, orgId: sel.orgId, after: inserted });
    return inserted;
  });
  return presentPayment(row);
}
