import { and, asc, eq, inArray } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../../db/client.ts';
import { accounts, craftsmanCandidates, craftsmanCommittee, craftsmanReviewers, craftsmanReviewScores, craftsmanSelections, craftsmanVotes, organisations, people, titleTypes } from '../../../db/schema.ts';
import { reviewSetupSchema, type AddReviewerInput, type ReviewScoresInput, type ReviewSetup } from '../../contracts/selections.ts';
import { sameEmployer, type EmployerRef } from '../../domain/recusal.ts';
import { rankReview, scoreReview, validateReviewScores, type RecusalReason, type ReviewOutcome, type ReviewProblem, type ReviewScore, type VoteChoice, type VoteTally } from '../../domain/review/index.ts';
import { AppError, conflict, forbidden, invalid, notFound } from '../../errors.ts';
import type { StaffActor } from '../../plugins/auth.plugin.ts';
import { recordAudit, type Tx } from '../audit/audit.service.ts';
import { employerNameOf } from '../people/people.service.ts';
import { committeeOf, committeeTally, voteLost } from './committee.ts';
import { assertStatus, coOrganiserRows, formOf, getSelection, loadSelection, managed, presentSelection, readable, type CandidateRow, type OrgRow, type SelectionRow } from './selections.service.ts';

/**
 * The review step of a craftsman selection on the shared review engine (server/domain/review).
 *
 * - The review setup (steps with indicator sheets, bodies with weights, threshold, majority rule)
 *   is set by the running union's managers before the review starts, often from a preset.
 * - The panel: staff accounts of the running union's or a co-organiser's subtree, or outside
 *   experts by name, each for one body; recusal (回避) by employer and by declared relation.
 * - Each reviewer scores their own sheet (outside experts' paper sheets are entered by staff);
 *   every save recomputes the ranking and writes each candidate's review score and rank.
 * - Closing the review freezes the scores and takes the proposed list from the engine: the
 *   selected candidates; anyone tied across the quota line waits for the committee's choice.
 * - The committee votes on the list; the publicity period starts only once the vote passed
 *   (selections.service.ts, startPublicity).
 */

type ReviewerRow = typeof craftsmanReviewers.$inferSelect;
type ScoreRow = typeof craftsmanReviewScores.$inferSelect;
type TieDecision = { candidateIds: number[]; reason: string; decidedBy: number; decidedAt: string };

/** Candidates the review ranks: everyone not ruled out (ineligible) or withdrawn, whatever the list later made of them. */
const REVIEWED: CandidateRow['status'][] = ['nominated', 'proposed', 'not_selected', 'named', 'nomination_award'];
/** While the review runs, before and during scoring. */
const PANEL_OPEN: SelectionRow['status'][] = ['draft', 'nominating', 'reviewing'];

function setupOf(sel: SelectionRow): ReviewSetup {
  if (!sel.reviewSetup) throw conflict('no_review_setup', 'This selection has no review setup (PUT /api/selections/:id/review-setup)');
  return reviewSetupSchema.parse(sel.reviewSetup);
}

function assertReviewOpen(sel: SelectionRow): void {
  if (sel.reviewClosedAt) throw conflict('review_closed', `The review was closed at ${sel.reviewClosedAt.toISOString()}: scores and the panel are frozen`);
}

const bodyKeysOf = (setup: ReviewSetup) => new Set(setup.steps.flatMap((s) => s.bodies.map((b) => b.key)));

// ---- Reach: whose accounts and employers a selection may name ----

/** The running union's subtree and each co-organiser's: the panel and the committee come from there. */
function reachOf(app: FastifyInstance, sel: SelectionRow, owner: OrgRow): string[] {
  return [owner.path, ...coOrganiserRows(app, sel.coOrganiserIds).map((o) => o.path)];
}

/**
 * An active account within reach, or null. An account out of reach is answered exactly like a
 * missing one, so the refusal tells nothing about who exists elsewhere.
 */
function accountInReach(app: FastifyInstance, reach: string[], accountId: number) {
  const found = app.db.select({ a: accounts, org: organisations }).from(accounts).innerJoin(organisations, eq(organisations.id, accounts.orgId)).where(eq(accounts.id, accountId)).get();
  if (!found || !found.a.active || !reach.some((p) => found.org.path.startsWith(p))) return null;
  return found;
}

/**
 * The accounts a manager may seat on the panel or the committee: every active staff account
 * within reach, the running union's subtree first, then each co-organiser's, by organisation and
 * name. Names, roles and organisations only: never a username or anything of signing in.
 */
export function listEligibleAccounts(app: FastifyInstance, actor: StaffActor, selectionId: number) {
  const { sel, owner } = managed(app, actor, selectionId);
  const reach = reachOf(app, sel, owner);
  const reachIndex = (path: string) => reach.findIndex((p) => path.startsWith(p));
  return app.db
    .select({ id: accounts.id, displayName: accounts.displayName, role: accounts.role, orgName: organisations.name, path: organisations.path })
    .from(accounts)
    .innerJoin(organisations, eq(organisations.id, accounts.orgId))
    .where(eq(accounts.active, true))
    .all()
    .filter((a) => reachIndex(a.path) >= 0)
    .sort((a, b) => reachIndex(a.path) - reachIndex(b.path) || a.path.localeCompare(b.path) || a.displayName.localeCompare(b.displayName, 'zh-CN') || a.id - b.id)
    .map(({ id, displayName, role, orgName }) => ({ id, displayName, role, orgName }));
}

// ---- Candidates and recusal ----

type ReviewCandidateRow = { c: CandidateRow; name: string; employer: EmployerRef; employerName: string | null; occupationName: string | null };

function reviewCandidates(db: Db | Tx, selectionId: number): ReviewCandidateRow[] {
  return db
    .select({ c: craftsmanCandidates, p: people })
    .from(craftsmanCandidates)
    .innerJoin(people, eq(people.id, craftsmanCandidates.personId))
    .where(and(eq(craftsmanCandidates.selectionId, selectionId), inArray(craftsmanCandidates.status, REVIEWED)))
    .orderBy(asc(craftsmanCandidates.id))
    .all()
    .map(({ c, p }) => {
      const employerName = employerNameOf(db as Tx, p);
      return { c, name: p.name, employer: { organisationId: p.employerId, name: employerName }, employerName, occupationName: p.occupationName };
    });
}

function employerRefOf(db: Db | Tx, r: ReviewerRow): EmployerRef {
  if (r.employerId === null) return { organisationId: null, name: r.employerName };
  return { organisationId: r.employerId, name: db.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, r.employerId)).get()?.name ?? null };
}

/**
 * Why the reviewer stands aside for the candidate, in the engine's order. The employer test is
 * server/domain/recusal.ts's (an organisation, or a name as written compared normalised), the
 * one judges are held to; the engine's own test only compares organisation ids.
 */
function recusalOf(reviewerEmployer: EmployerRef, reviewer: ReviewerRow, candidate: ReviewCandidateRow): RecusalReason[] {
  const reasons: RecusalReason[] = [];
  if (sameEmployer(reviewerEmployer, candidate.employer)) reasons.push('same_employer');
  if (reviewer.relations.includes(candidate.c.id)) reasons.push('declared_relation');
  return reasons;
}

// ---- Ranking ----

type Ranking = {
  setup: ReviewSetup;
  outcome: ReviewOutcome;
  candidates: Map<number, ReviewCandidateRow>;
  expected: (candidateId: number, body: string) => number;
};

/**
 * The engine's ranking over the stored scores. Rows a reviewer may no longer give (they declared
 * a relation since, or the candidate's employer changed) are left out rather than counted: the
 * sheet counts show who still has to score.
 */
function rankingOf(db: Db | Tx, sel: SelectionRow): Ranking {
  const setup = setupOf(sel);
  const candidates = new Map(reviewCandidates(db, sel.id).map((c) => [c.c.id, c]));
  const reviewers = db.select().from(craftsmanReviewers).where(eq(craftsmanReviewers.selectionId, sel.id)).orderBy(asc(craftsmanReviewers.id)).all();
  const employers = new Map(reviewers.map((r) => [r.id, employerRefOf(db, r)]));
  const standsAside = (r: ReviewerRow, c: ReviewCandidateRow) => recusalOf(employers.get(r.id)!, r, c).length > 0;
  const byId = new Map(reviewers.map((r) => [r.id, r]));
  const steps = new Map(setup.steps.map((s) => [s.key, s]));
  const rows: ReviewScore[] = [];
  for (const s of db.select().from(craftsmanReviewScores).where(eq(craftsmanReviewScores.selectionId, sel.id)).all()) {
    const reviewer = byId.get(s.reviewerId);
    const candidate = candidates.get(s.candidateId);
    const step = steps.get(s.step);
    if (!reviewer || !candidate || !step || standsAside(reviewer, candidate)) continue;
    if (!step.bodies.some((b) => b.key === reviewer.body) || !step.sheet.items.some((i) => i.id === s.itemId)) continue;
    rows.push({ reviewerId: s.reviewerId, candidateId: s.candidateId, step: s.step, itemId: s.itemId, points: s.points, body: reviewer.body });
  }
  const scored = scoreReview(setup.steps, rows, { candidateIds: [...candidates.keys()] });
  const outcome = rankReview(scored, { threshold: setup.threshold, quota: sel.quota });
  const expected = (candidateId: number, body: string) => reviewers.filter((r) => r.body === body && !standsAside(r, candidates.get(candidateId)!)).length;
  return { setup, outcome, candidates, expected };
}

/** Writes each ranked candidate's final score and rank, so the candidate list shows them. */
function storeRanking(tx: Tx, sel: SelectionRow, now: Date): Ranking {
  const ranking = rankingOf(tx, sel);
  for (const row of ranking.outcome.rows) tx.update(craftsmanCandidates).set({ reviewScore: row.final, rank: row.rank, updatedAt: now }).where(eq(craftsmanCandidates.id, row.candidateId)).run();
  return ranking;
}

const tieDecisionOf = (sel: SelectionRow) => (sel.tieDecision as TieDecision | null) ?? null;

function presentRanking(sel: SelectionRow, ranking: Ranking) {
  const tie = tieDecisionOf(sel);
  return {
    selectionId: sel.id,
    setup: ranking.setup,
    quota: sel.quota,
    closed: sel.reviewClosedAt !== null,
    closedAt: sel.reviewClosedAt?.toISOString() ?? null,
    rows: ranking.outcome.rows.map((r) => {
      const c = ranking.candidates.get(r.candidateId)!;
      return {
        candidateId: r.candidateId,
        personName: c.name,
        employerName: c.employerName,
        steps: Object.fromEntries(
          Object.entries(r.steps).map(([key, step]) => [
            key,
            { score: step.score, bodies: Object.fromEntries(Object.entries(step.bodies).map(([body, b]) => [body, { ...b, expectedSheets: ranking.expected(r.candidateId, body) }])) },
          ]),
        ),
        final: r.final,
        rank: r.rank,
        sharedRank: r.sharedRank,
        passes: r.passes,
        selected: r.selected,
        tiedAtLine: r.tiedAtLine,
        chosenByCommittee: !!tie?.candidateIds.includes(r.candidateId),
      };
    }),
    summary: ranking.outcome.summary,
    tieDecision: tie,
  };
}

/** The computed ranking: per candidate step and body scores, final, rank, threshold and quota. */
export function getReviewRanking(app: FastifyInstance, actor: StaffActor, selectionId: number) {
  const { sel } = readable(app, actor, selectionId);
  return presentRanking(sel, rankingOf(app.db, sel));
}

// ---- Setup ----

/** The review setup, set before the review starts; reviewers already seated must keep their body. */
export function setReviewSetup(app: FastifyInstance, actor: StaffActor, selectionId: number, setup: ReviewSetup) {
  const { sel, owner } = managed(app, actor, selectionId);
  assertStatus(sel, ['draft', 'nominating'], 'Setting the review setup');
  const keys = bodyKeysOf(setup);
  const orphan = app.db.select().from(craftsmanReviewers).where(eq(craftsmanReviewers.selectionId, selectionId)).all().find((r) => !keys.has(r.body));
  if (orphan) throw invalid('body.steps', `a reviewer scores for the body "${orphan.body}", which this setup does not have`, 'reviewer_body_missing');
  return app.db.transaction((tx) => {
    const after = tx.update(craftsmanSelections).set({ reviewSetup: setup }).where(eq(craftsmanSelections.id, selectionId)).returning().get();
    recordAudit(tx, actor, { action: 'selection.review_setup', entityType: 'craftsman_selection', entityId: selectionId, orgId: sel.orgId, before: { reviewSetup: sel.reviewSetup }, after: { reviewSetup: setup } });
    return presentSelection(app, after, owner);
  });
}

// ---- Panel ----

function loadReviewer(app: FastifyInstance, reviewerId: number): ReviewerRow {
  const row = app.db.select().from(craftsmanReviewers).where(eq(craftsmanReviewers.id, reviewerId)).get();
  if (!row) throw notFound('Reviewer');
  return row;
}

function presentReviewers(db: Db | Tx, sel: SelectionRow, rows: ReviewerRow[]) {
  if (rows.length === 0) return [];
  const setup = setupOf(sel);
  const candidates = reviewCandidates(db, sel.id);
  const accountIds = rows.flatMap((r) => (r.accountId === null ? [] : [r.accountId]));
  const names = new Map(accountIds.length ? db.select({ id: accounts.id, name: accounts.displayName }).from(accounts).where(inArray(accounts.id, accountIds)).all().map((a) => [a.id, a.name]) : []);
  const scores = db.select().from(craftsmanReviewScores).where(eq(craftsmanReviewScores.selectionId, sel.id)).all();
  return rows.map((r) => {
    const employer = employerRefOf(db, r);
    // A sheet is complete when every item of a step the reviewer's body scores is in.
    const completeSheets = setup.steps
      .filter((step) => step.bodies.some((b) => b.key === r.body))
      .reduce((n, step) => n + candidates.filter((c) => scores.filter((s) => s.reviewerId === r.id && s.candidateId === c.c.id && s.step === step.key).length === step.sheet.items.length).length, 0);
    return {
      id: r.id,
      selectionId: r.selectionId,
      accountId: r.accountId,
      name: r.accountId === null ? (r.expertName ?? '') : (names.get(r.accountId) ?? ''),
      outsideExpert: r.accountId === null,
      body: r.body,
      employerId: r.employerId,
      employerName: employer.name,
      relations: r.relations,
      standsAsideFrom: candidates.flatMap((c) => {
        const reasons = recusalOf(employer, r, c);
        return reasons.length ? [{ candidateId: c.c.id, reasons }] : [];
      }),
      completeSheets,
    };
  });
}

export function listReviewers(app: FastifyInstance, actor: StaffActor, selectionId: number) {
  const { sel } = readable(app, actor, selectionId);
  if (!sel.reviewSetup) return [];
  return presentReviewers(app.db, sel, app.db.select().from(craftsmanReviewers).where(eq(craftsmanReviewers.selectionId, selectionId)).orderBy(asc(craftsmanReviewers.id)).all());
}

/** Declared relations name candidates of this selection. */
function checkRelations(app: FastifyInstance, selectionId: number, ids: number[], field: string): number[] {
  const unique = [...new Set(ids)];
  const known = new Set(
    unique.length ? app.db.select({ id: craftsmanCandidates.id }).from(craftsmanCandidates).where(and(eq(craftsmanCandidates.selectionId, selectionId), inArray(craftsmanCandidates.id, unique))).all().map((c) => c.id) : [],
  );
  ids.forEach((id, i) => {
    if (!known.has(id)) throw invalid(`${field}.${i}`, `candidate ${id} is not in this selection`);
  });
  return unique;
}

/**
 * Seats a reviewer for a body: an account (its employer, for recusal, is its organisation when
 * that is an employer, unless another is given) or an outside expert by name.
 */
export function addReviewer(app: FastifyInstance, actor: StaffActor, selectionId: number, input: AddReviewerInput) {
  const { sel, owner } = managed(app, actor, selectionId);
  assertStatus(sel, PANEL_OPEN, 'Seating a reviewer');
  assertReviewOpen(sel);
  const setup = setupOf(sel);
  if (!bodyKeysOf(setup).has(input.body)) throw invalid('body.body', `no body "${input.body}" in the review setup (${[...bodyKeysOf(setup)].join(', ')})`, 'unknown_body');
  const reach = reachOf(app, sel, owner);
  let employerId: number | null = null;
  if (input.accountId !== undefined) {
    const found = accountInReach(app, reach, input.accountId);
    if (!found) throw invalid('body.accountId', 'no such active account in reach of this selection');
    const existing = app.db.select({ id: craftsmanReviewers.id }).from(craftsmanReviewers).where(and(eq(craftsmanReviewers.selectionId, selectionId), eq(craftsmanReviewers.accountId, input.accountId))).get();
    if (existing) throw new AppError(409, 'reviewer_exists', 'This account is already on the panel', [{ field: 'body.accountId', message: 'already on the panel' }]);
    if (found.org.kind === 'employer') employerId = found.org.id;
  }
  if (input.employerId !== undefined) {
    const employer = input.employerId === null ? null : app.db.select().from(organisations).where(eq(organisations.id, input.employerId)).get();
    if (employer === undefined || (employer !== null && !reach.some((p) => employer.path.startsWith(p)))) throw invalid('body.employerId', 'no such organisation in reach of this selection');
    employerId = input.employerId;
  }
  const employerName = input.employerName ?? null;
  if (employerName !== null) employerId = null;
  const relations = checkRelations(app, selectionId, input.relations, 'body.relations');
  return app.db.transaction((tx) => {
    const row = tx
      .insert(craftsmanReviewers)
      .values({ selectionId, accountId: input.accountId ?? null, expertName: input.expertName ?? null, body: input.body, employerId, employerName, relations })
      .returning()
      .get();
    recordAudit(tx, actor, { action: 'selection.reviewer_add', entityType: 'craftsman_reviewer', entityId: row.id, orgId: sel.orgId, after: row });
    storeRanking(tx, sel, app.clock.now());
    return presentReviewers(tx, sel, [row])[0]!;
  });
}

/** Takes a reviewer off the panel before they have scored (a reviewer who scored stays on the record). */
export function removeReviewer(app: FastifyInstance, actor: StaffActor, reviewerId: number) {
  const before = loadReviewer(app, reviewerId);
  const { sel } = managed(app, actor, before.selectionId);
  assertStatus(sel, PANEL_OPEN, 'Removing a reviewer');
  assertReviewOpen(sel);
  const scored = app.db.select({ id: craftsmanReviewScores.id }).from(craftsmanReviewScores).where(eq(craftsmanReviewScores.reviewerId, reviewerId)).get();
  if (scored) throw conflict('reviewer_scored', 'This reviewer has already given scores');
  return app.db.transaction((tx) => {
    tx.delete(craftsmanReviewers).where(eq(craftsmanReviewers.id, reviewerId)).run();
    recordAudit(tx, actor, { action: 'selection.reviewer_remove', entityType: 'craftsman_reviewer', entityId: reviewerId, orgId: sel.orgId, before });
    storeRanking(tx, sel, app.clock.now());
    return presentReviewers(tx, sel, tx.select().from(craftsmanReviewers).where(eq(craftsmanReviewers.selectionId, sel.id)).orderBy(asc(craftsmanReviewers.id)).all());
  });
}

/**
 * The candidates a reviewer declares a relation with (亲属、师徒…), recorded by the union's staff
 * or declared by the reviewer on their own account. Points already given to a candidate now
 * declared are withdrawn (kept in the audit entry): a reviewer who must stand aside has no say.
 */
export function setRelations(app: FastifyInstance, actor: StaffActor, reviewerId: number, candidateIds: number[]) {
  const before = loadReviewer(app, reviewerId);
  const own = before.accountId === actor.accountId;
  const { sel } = own ? { sel: loadSelection(app, before.selectionId).sel } : managed(app, actor, before.selectionId);
  if (!own && !['admin', 'organiser'].includes(actor.role)) throw forbidden("Relations are declared by the reviewer or recorded by the running union's organisers");
  assertStatus(sel, PANEL_OPEN, 'Declaring relations');
  assertReviewOpen(sel);
  const relations = checkRelations(app, sel.id, candidateIds, 'body.candidateIds');
  return app.db.transaction((tx) => {
    const now = app.clock.now();
    const withdrawn = relations.length
      ? tx.select().from(craftsmanReviewScores).where(and(eq(craftsmanReviewScores.reviewerId, reviewerId), inArray(craftsmanReviewScores.candidateId, relations))).all()
      : [];
    if (withdrawn.length) tx.delete(craftsmanReviewScores).where(inArray(craftsmanReviewScores.id, withdrawn.map((s) => s.id))).run();
    const after = tx.update(craftsmanReviewers).set({ relations }).where(eq(craftsmanReviewers.id, reviewerId)).returning().get();
    recordAudit(tx, actor, {
      action: 'selection.reviewer_relations',
      entityType: 'craftsman_reviewer',
      entityId: reviewerId,
      orgId: sel.orgId,
      before: { relations: before.relations },
      after: { relations, declaredByReviewer: own, withdrawnScores: withdrawn.map((s) => ({ candidateId: s.candidateId, step: s.step, itemId: s.itemId, points: s.points })) },
    });
    storeRanking(tx, sel, now);
    return presentReviewers(tx, sel, [after])[0]!;
  });
}

// ---- Sheets and scores ----

function reviewerOfAccount(app: FastifyInstance, selectionId: number, accountId: number): { reviewer: ReviewerRow; sel: SelectionRow } {
  const { sel } = loadSelection(app, selectionId);
  const reviewer = app.db.select().from(craftsmanReviewers).where(and(eq(craftsmanReviewers.selectionId, selectionId), eq(craftsmanReviewers.accountId, accountId))).get();
  if (!reviewer) throw new AppError(403, 'not_a_reviewer', 'You are not on the panel of this selection');
  return { reviewer, sel };
}

/**
 * Whether the caller may open the selection's own page (GET /api/selections/:id). A reviewer's
 * account may sit where the selection's readers do not (below a co-organiser, say): their sheet
 * never needs that page, so it carries what it shows and says whether the page would open.
 */
function opensSelection(app: FastifyInstance, actor: StaffActor, selectionId: number): boolean {
  // The roles that read selections at all (selections.routes.ts READERS; studio officers do not).
  if (!['admin', 'organiser', 'hr_officer', 'viewer'].includes(actor.role)) return false;
  try {
    getSelection(app, actor, selectionId);
    return true;
  } catch {
    return false;
  }
}

/**
 * The reviewer's sheet: the selection's and the reviewer's names, per step their body scores the
 * candidates they score (never those they stand aside from, who are counted by reason) with the
 * points so far. Everything the sheet page shows, so it reads nothing else.
 */
function sheetOf(db: Db | Tx, sel: SelectionRow, reviewer: ReviewerRow, canOpen: boolean) {
  const setup = setupOf(sel);
  const employer = employerRefOf(db, reviewer);
  const all = reviewCandidates(db, sel.id);
  const candidates = all.filter((c) => recusalOf(employer, reviewer, c).length === 0);
  const scores = db.select().from(craftsmanReviewScores).where(eq(craftsmanReviewScores.reviewerId, reviewer.id)).all();
  const name = reviewer.accountId === null ? (reviewer.expertName ?? '') : (db.select({ n: accounts.displayName }).from(accounts).where(eq(accounts.id, reviewer.accountId)).get()?.n ?? '');
  const orgName = db.select({ n: organisations.name }).from(organisations).where(eq(organisations.id, sel.orgId)).get()?.n ?? '';
  const titleName = db.select({ n: titleTypes.name }).from(titleTypes).where(eq(titleTypes.id, sel.titleTypeId)).get()?.n ?? '';
  const bodyName = setup.steps.flatMap((s) => s.bodies).find((b) => b.key === reviewer.body)?.name ?? reviewer.body;
  return {
    selection: { id: sel.id, name: sel.name, year: sel.year, titleName, orgName, canOpen },
    reviewer: {
      id: reviewer.id,
      name,
      body: reviewer.body,
      bodyName,
      relations: reviewer.relations,
      standsAsideFrom: all.flatMap((c) => {
        const reasons = recusalOf(employer, reviewer, c);
        return reasons.length ? [{ candidateId: c.c.id, reasons }] : [];
      }),
    },
    status: sel.status,
    reviewClosed: sel.reviewClosedAt !== null,
    steps: setup.steps
      .filter((step) => step.bodies.some((b) => b.key === reviewer.body))
      .map((step) => ({
        key: step.key,
        name: step.name,
        items: step.sheet.items.map((i) => ({ id: i.id, name: i.name, max: i.max, group: i.group ?? null })),
        candidates: candidates.map((c) => {
          const mine = scores.filter((s) => s.candidateId === c.c.id && s.step === step.key);
          return {
            candidateId: c.c.id,
            personName: c.name,
            employerName: c.employerName,
            occupationName: c.occupationName,
            position: formOf(c.c).position,
            points: Object.fromEntries(mine.map((s) => [s.itemId, s.points])),
            complete: mine.length === step.sheet.items.length,
          };
        }),
      })),
  };
}

/**
 * What the signed-in staff member has to do in selections, wherever their account sits: the
 * sheets they score as a reviewer (with how far they are) and the lists they vote on as a
 * committee member. A reviewer from a lower union finds their sheet here, not through the
 * selection's page, which they may not read.
 */
export function myTasks(app: FastifyInstance, actor: StaffActor) {
  const reviews = app.db
    .select({ r: craftsmanReviewers, sel: craftsmanSelections })
    .from(craftsmanReviewers)
    .innerJoin(craftsmanSelections, eq(craftsmanSelections.id, craftsmanReviewers.selectionId))
    .where(eq(craftsmanReviewers.accountId, actor.accountId))
    .all()
    .filter(({ sel }) => sel.reviewSetup !== null)
    .map(({ r, sel }) => {
      const sheet = sheetOf(app.db, sel, r, false);
      const sheets = sheet.steps.flatMap((step) => step.candidates);
      return {
        selectionId: sel.id,
        name: sel.name,
        titleName: sheet.selection.titleName,
        orgName: sheet.selection.orgName,
        status: sel.status,
        reviewClosed: sel.reviewClosedAt !== null,
        bodyName: sheet.reviewer.bodyName,
        complete: sheets.filter((c) => c.complete).length,
        total: sheets.length,
      };
    });
  const votes = app.db
    .select({ m: craftsmanCommittee, sel: craftsmanSelections })
    .from(craftsmanCommittee)
    .innerJoin(craftsmanSelections, eq(craftsmanSelections.id, craftsmanCommittee.selectionId))
    .where(eq(craftsmanCommittee.accountId, actor.accountId))
    .all()
    .map(({ m, sel }) => {
      const own = committeeOf(app.db, sel).votes.find((v) => v.memberId === m.id);
      return {
        selectionId: sel.id,
        name: sel.name,
        status: sel.status,
        round: sel.voteRound,
        choice: own?.choice ?? null,
        // The list is put to the vote once the review is closed, until publicity starts.
        open: sel.status === 'reviewing' && sel.reviewClosedAt !== null,
      };
    });
  return { reviews, votes };
}

export function mySheet(app: FastifyInstance, actor: StaffActor, selectionId: number) {
  const { reviewer, sel } = reviewerOfAccount(app, selectionId, actor.accountId);
  return sheetOf(app.db, sel, reviewer, opensSelection(app, actor, selectionId));
}

/**
 * The engine's problems as the API says them: each with its field in the request and its code
 * (the codes by field in `params`, since a problem's `errors` carry field and message). A
 * reviewer who must stand aside is refused (403) with `reviewer_conflict` (same employer) or
 * `reviewer_relation` (declared relation); anything else is a 400.
 */
function refuseScores(problems: ReviewProblem[]): never {
  const fieldOf = (p: ReviewProblem) => {
    const [, index, field] = /^scores\.(\d+)\.(.+)$/.exec(p.field)!;
    if (p.code === 'reviewer_conflict' || p.code === 'reviewer_relation' || p.code === 'unknown_candidate') return 'body.candidateId';
    if (field === 'step') return 'body.step';
    return `body.items.${index}.${field}`;
  };
  // The candidate's and the step's problems come once per row: said once.
  const seen = new Map<string, { field: string; code: string; message: string }>();
  for (const p of problems) {
    const field = fieldOf(p);
    if (!seen.has(`${field}|${p.code}`)) seen.set(`${field}|${p.code}`, { field, code: p.code, message: p.message });
  }
  const list = [...seen.values()];
  const recusal = list.find((p) => p.code === 'reviewer_conflict' || p.code === 'reviewer_relation');
  const params: Record<string, string> = {};
  for (const p of list) params[p.field] = params[p.field] ? `${params[p.field]},${p.code}` : p.code;
  if (recusal) throw new AppError(403, recusal.code, recusal.message, [{ field: recusal.field, message: recusal.message }], { [recusal.field]: recusal.code });
  throw new AppError(400, list[0]!.code, list.map((p) => p.message).join('；'), list.map(({ field, message }) => ({ field, message })), params);
}

/** Stores one reviewer's points for one candidate in one step (replacing their earlier ones), after the engine's checks. */
function saveScores(app: FastifyInstance, actor: StaffActor, sel: SelectionRow, reviewer: ReviewerRow, input: ReviewScoresInput, onPaper: boolean) {
  assertStatus(sel, ['reviewing'], 'Scoring');
  assertReviewOpen(sel);
  const setup = setupOf(sel);
  const candidates = reviewCandidates(app.db, sel.id).filter((c) => c.c.status === 'nominated');
  const employer = employerRefOf(app.db, reviewer);
  // The engine compares employer ids; the same-employer test here is recusal.ts's (names too).
  // One reviewer is checked at a time, so one stand-in id marks the candidates they share an
  // employer with, and only those.
  const SHARED = 0;
  const checked = validateReviewScores(
    setup.steps,
    input.items.map((i) => ({ reviewerId: reviewer.id, candidateId: input.candidateId, step: input.step, itemId: i.itemId, points: i.points })),
    {
      reviewers: [{ id: reviewer.id, body: reviewer.body, employerId: SHARED, relations: reviewer.relations }],
      candidates: candidates.map((c) => ({ id: c.c.id, employerId: sameEmployer(employer, c.employer) ? SHARED : null })),
    },
  );
  if (!checked.ok) refuseScores(checked.problems);
  app.db.transaction((tx) => {
    const now = app.clock.now();
    const where = and(eq(craftsmanReviewScores.reviewerId, reviewer.id), eq(craftsmanReviewScores.candidateId, input.candidateId), eq(craftsmanReviewScores.step, input.step));
    const before: ScoreRow[] = tx.select().from(craftsmanReviewScores).where(where).all();
    tx.delete(craftsmanReviewScores).where(where).run();
    tx.insert(craftsmanReviewScores)
      .values(input.items.map((i) => ({ selectionId: sel.id, reviewerId: reviewer.id, candidateId: input.candidateId, step: input.step, itemId: i.itemId, points: i.points, enteredBy: actor.accountId, enteredAt: now })))
      .run();
    recordAudit(tx, actor, {
      action: 'selection.review_score',
      entityType: 'craftsman_selection',
      entityId: sel.id,
      orgId: sel.orgId,
      before: before.map((s) => ({ itemId: s.itemId, points: s.points })),
      after: { reviewerId: reviewer.id, candidateId: input.candidateId, step: input.step, items: input.items, onPaper },
    });
    storeRanking(tx, sel, now);
  });
  // A paper sheet is entered by the running union's staff, who open the selection.
  return sheetOf(app.db, sel, reviewer, onPaper || opensSelection(app, actor, sel.id));
}

export function submitMyScores(app: FastifyInstance, actor: StaffActor, selectionId: number, input: ReviewScoresInput) {
  const { reviewer, sel } = reviewerOfAccount(app, selectionId, actor.accountId);
  return saveScores(app, actor, sel, reviewer, input, false);
}

/** A paper sheet entered by the union's staff, e.g. an outside expert's. */
export function enterPaperScores(app: FastifyInstance, actor: StaffActor, reviewerId: number, input: ReviewScoresInput) {
  const reviewer = loadReviewer(app, reviewerId);
  const { sel } = managed(app, actor, reviewer.selectionId);
  return saveScores(app, actor, sel, reviewer, input, true);
}

// ---- Closing the review and the committee's choice at the line ----

/**
 * Closes the review: scores are frozen and the engine's ranking makes the proposed list. The
 * selected become proposed for the title; those tied across the quota line wait for the
 * committee (`decideTie`); the rest are not selected. Every candidate needs a final score.
 */
export function closeReview(app: FastifyInstance, actor: StaffActor, selectionId: number) {
  const { sel } = managed(app, actor, selectionId);
  assertStatus(sel, ['reviewing'], 'Closing the review');
  setupOf(sel);
  assertReviewOpen(sel);
  return app.db.transaction(
    (tx) => {
      const now = app.clock.now();
      const ranking = storeRanking(tx, sel, now);
      const unscored = ranking.outcome.rows.filter((r) => r.final === null);
      if (unscored.length)
        throw new AppError(409, 'review_incomplete', `${unscored.length} candidate(s) have no final score yet: every weighted body needs a complete sheet in every weighted step`, undefined, { unscored: unscored.length });
      const decideLater = ranking.outcome.summary.placesToDecide > 0;
      for (const row of ranking.outcome.rows) {
        const c = ranking.candidates.get(row.candidateId)!.c;
        if (c.status !== 'nominated') continue;
        const next = row.selected ? { status: 'proposed' as const, proposedAward: 'title' as const } : row.tiedAtLine && decideLater ? null : { status: 'not_selected' as const, proposedAward: null };
        if (next) tx.update(craftsmanCandidates).set({ ...next, updatedAt: now }).where(eq(craftsmanCandidates.id, c.id)).run();
      }
      const after = tx.update(craftsmanSelections).set({ reviewClosedAt: now }).where(eq(craftsmanSelections.id, selectionId)).returning().get();
      recordAudit(tx, actor, {
        action: 'selection.review_close',
        entityType: 'craftsman_selection',
        entityId: selectionId,
        orgId: sel.orgId,
        after: { summary: ranking.outcome.summary, rows: ranking.outcome.rows.map((r) => ({ candidateId: r.candidateId, final: r.final, rank: r.rank, selected: r.selected, tiedAtLine: r.tiedAtLine })) },
      });
      return presentRanking(after, ranking);
    },
    { behavior: 'immediate' },
  );
}

/**
 * The committee's choice among the candidates tied across the quota line: at most the places
 * left (none leaves them empty), with the reason. The chosen are proposed for the title, the
 * other tied ones are not selected. Decided once, before the vote on the list.
 */
export function decideTie(app: FastifyInstance, actor: StaffActor, selectionId: number, input: { candidateIds: number[]; reason: string }) {
  const { sel } = managed(app, actor, selectionId);
  assertStatus(sel, ['reviewing'], 'Deciding the tie at the quota line');
  setupOf(sel);
  if (!sel.reviewClosedAt) throw conflict('review_open', 'Close the review first (POST /api/selections/:id/close-review)');
  if (sel.tieDecision) throw conflict('tie_decided', 'The committee has already decided the places at the line');
  const ranking = rankingOf(app.db, sel);
  const { placesToDecide } = ranking.outcome.summary;
  if (placesToDecide === 0) throw conflict('no_tie_at_line', 'Nobody is tied across the quota line');
  const tied = new Set(ranking.outcome.rows.filter((r) => r.tiedAtLine).map((r) => r.candidateId));
  const seen = new Set<number>();
  input.candidateIds.forEach((id, i) => {
    if (!tied.has(id)) throw invalid(`body.candidateIds.${i}`, `candidate ${id} is not tied at the quota line`, 'not_tied_at_line');
    if (seen.has(id)) throw invalid(`body.candidateIds.${i}`, 'listed twice');
    seen.add(id);
  });
  if (seen.size > placesToDecide) throw invalid('body.candidateIds', `${seen.size} chosen; ${placesToDecide} place(s) to decide`, 'too_many_chosen');
  return app.db.transaction((tx) => {
    const now = app.clock.now();
    for (const id of tied)
      tx.update(craftsmanCandidates)
        .set(seen.has(id) ? { status: 'proposed', proposedAward: 'title', updatedAt: now } : { status: 'not_selected', proposedAward: null, updatedAt: now })
        .where(eq(craftsmanCandidates.id, id))
        .run();
    const decision: TieDecision = { candidateIds: [...seen], reason: input.reason, decidedBy: actor.accountId, decidedAt: now.toISOString() };
    const after = tx.update(craftsmanSelections).set({ tieDecision: decision }).where(eq(craftsmanSelections.id, selectionId)).returning().get();
    recordAudit(tx, actor, { action: 'selection.tie_decision', entityType: 'craftsman_selection', entityId: selectionId, orgId: sel.orgId, after: { ...decision, tied: [...tied], placesToDecide } });
    return presentRanking(after, ranking);
  });
}

// ---- The committee and its vote ----

type Reopening = { round: number; reason: string; by: number; at: string };
const reopeningsOf = (sel: SelectionRow): Reopening[] => (sel.reviewReopenings as Reopening[] | null) ?? [];

function presentTally(tally: VoteTally) {
  return { rule: tally.rule, members: tally.members, cast: tally.cast, for: tally.for, against: tally.against, abstain: tally.abstain, absent: tally.absent, forNeeded: tally.forNeeded, passed: tally.passed, lost: voteLost(tally) };
}

function presentCommittee(db: Db | Tx, sel: SelectionRow) {
  const { members, votes } = committeeOf(db, sel);
  const byMember = new Map(votes.map((v) => [v.memberId, v]));
  const tally = committeeTally(db, sel);
  const reopenings = reopeningsOf(sel);
  return {
    selectionId: sel.id,
    voteRule: sel.reviewSetup ? reviewSetupSchema.parse(sel.reviewSetup).voteRule : null,
    round: sel.voteRound,
    members: members.map((m) => {
      const v = byMember.get(m.id);
      return { id: m.id, accountId: m.accountId, name: m.name, choice: v?.choice ?? null, at: v?.at.toISOString() ?? null, recordedBy: v?.recordedBy ?? null };
    }),
    tally: tally && presentTally(tally),
    /** Rounds voted down, oldest first, each with its count and why the list went back to the panel. */
    earlierRounds: reopenings.map((r) => ({ round: r.round, reason: r.reason, reopenedAt: r.at, tally: presentTally(committeeTally(db, sel, r.round)!) })),
  };
}

export function getCommittee(app: FastifyInstance, actor: StaffActor, selectionId: number) {
  const { sel } = readable(app, actor, selectionId);
  return presentCommittee(app.db, sel);
}

/** The committee's members (accounts within reach, or names whose paper ballots staff record); replaced whole until a vote is cast. */
export function setCommittee(app: FastifyInstance, actor: StaffActor, selectionId: number, members: { accountId?: number; name?: string }[]) {
  const { sel, owner } = managed(app, actor, selectionId);
  assertStatus(sel, PANEL_OPEN, 'Setting the committee');
  setupOf(sel);
  // Any ballot in any round keeps the committee: a list voted down is voted on again by the same members.
  if (app.db.select({ id: craftsmanVotes.id }).from(craftsmanVotes).where(eq(craftsmanVotes.selectionId, selectionId)).get())
    throw conflict('votes_cast', 'Votes have been cast: the committee stays as it voted');
  const reach = reachOf(app, sel, owner);
  const seen = new Set<number>();
  const rows = members.map((m, i) => {
    if (m.accountId === undefined) return { selectionId, accountId: null, name: m.name! };
    const found = accountInReach(app, reach, m.accountId);
    if (!found) throw invalid(`body.members.${i}.accountId`, 'no such active account in reach of this selection');
    if (seen.has(m.accountId)) throw invalid(`body.members.${i}.accountId`, 'listed twice');
    seen.add(m.accountId);
    return { selectionId, accountId: m.accountId, name: found.a.displayName };
  });
  return app.db.transaction((tx) => {
    const before = tx.select().from(craftsmanCommittee).where(eq(craftsmanCommittee.selectionId, selectionId)).all();
    tx.delete(craftsmanCommittee).where(eq(craftsmanCommittee.selectionId, selectionId)).run();
    const inserted = tx.insert(craftsmanCommittee).values(rows).returning().all();
    recordAudit(tx, actor, { action: 'selection.committee', entityType: 'craftsman_selection', entityId: selectionId, orgId: sel.orgId, before, after: inserted });
    return presentCommittee(tx, sel);
  });
}

/**
 * A ballot on the proposed list: by the member signed in, or a paper ballot recorded by the
 * running union's organisers for the member named. Once the list is final (review closed, the
 * tie at the line decided); one ballot per member, never changed.
 */
export function castVote(app: FastifyInstance, actor: StaffActor, selectionId: number, input: { choice: VoteChoice; memberId?: number }) {
  const onPaper = input.memberId !== undefined;
  const { sel } = onPaper ? managed(app, actor, selectionId) : loadSelection(app, selectionId);
  if (onPaper && !['admin', 'organiser'].includes(actor.role)) throw forbidden("Paper ballots are recorded by the running union's organisers");
  const { members, votes } = committeeOf(app.db, sel);
  const member = onPaper ? members.find((m) => m.id === input.memberId) : members.find((m) => m.accountId === actor.accountId);
  if (!member) {
    if (onPaper) throw invalid('body.memberId', 'not a member of this committee', 'not_a_member');
    throw new AppError(403, 'not_a_member', 'You are not a member of the review committee of this selection');
  }
  assertStatus(sel, ['reviewing'], 'Voting on the proposed list');
  if (!sel.reviewClosedAt) throw conflict('review_open', 'The list is voted on once the review is closed');
  const pending = app.db.select({ id: craftsmanCandidates.id }).from(craftsmanCandidates).where(and(eq(craftsmanCandidates.selectionId, selectionId), eq(craftsmanCandidates.status, 'nominated'))).get();
  if (pending) throw conflict('tie_undecided', 'Candidates tied at the quota line wait for the committee’s choice (POST /api/selections/:id/tie-decision)');
  if (votes.some((v) => v.memberId === member.id)) throw conflict('already_voted', `${member.name} has already voted`);
  return app.db.transaction((tx) => {
    const row = tx.insert(craftsmanVotes).values({ selectionId, memberId: member.id, choice: input.choice, round: sel.voteRound, at: app.clock.now(), recordedBy: actor.accountId }).returning().get();
    recordAudit(tx, actor, { action: 'selection.vote', entityType: 'craftsman_selection', entityId: selectionId, orgId: sel.orgId, after: { ...row, onPaper } });
    return presentCommittee(tx, sel);
  });
}

/**
 * A list the committee did not pass goes back to the panel (退回重评): the review opens again
 * (scores can be corrected, reviewers changed), the choice at the quota line is undone, and the
 * candidates on or off the list are candidates again. The ballots stay as the round they were
 * cast in, with the reason; after the review is closed again the same committee votes anew.
 */
export function reopenReview(app: FastifyInstance, actor: StaffActor, selectionId: number, reason: string) {
  const { sel } = managed(app, actor, selectionId);
  assertStatus(sel, ['reviewing'], 'Sending the list back to the panel');
  setupOf(sel);
  if (!sel.reviewClosedAt) throw conflict('review_open', 'The review is open: nothing to send back');
  const tally = committeeTally(app.db, sel);
  if (!tally || tally.cast === 0) throw conflict('vote_not_taken', 'The committee has not voted on this list yet');
  if (tally.passed) throw conflict('vote_passed', 'The committee passed this list: it goes to publicity, not back to the panel');
  return app.db.transaction(
    (tx) => {
      const now = app.clock.now();
      tx.update(craftsmanCandidates)
        .set({ status: 'nominated', proposedAward: null, updatedAt: now })
        .where(and(eq(craftsmanCandidates.selectionId, selectionId), inArray(craftsmanCandidates.status, ['proposed', 'not_selected'])))
        .run();
      const reopenings: Reopening[] = [...reopeningsOf(sel), { round: sel.voteRound, reason, by: actor.accountId, at: now.toISOString() }];
      const after = tx
        .update(craftsmanSelections)
        .set({ reviewClosedAt: null, tieDecision: null, voteRound: sel.voteRound + 1, reviewReopenings: reopenings })
        .where(eq(craftsmanSelections.id, selectionId))
        .returning()
        .get();
      recordAudit(tx, actor, {
        action: 'selection.review_reopen',
        entityType: 'craftsman_selection',
        entityId: selectionId,
        orgId: sel.orgId,
        before: { voteRound: sel.voteRound, reviewClosedAt: sel.reviewClosedAt, tieDecision: sel.tieDecision },
        after: { voteRound: after.voteRound, reason, tally: presentTally(tally) },
      });
      return presentCommittee(tx, after);
    },
    { behavior: 'immediate' },
  );
}
