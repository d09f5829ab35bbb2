import { and, asc, count, desc, eq, inArray, like } from 'drizzle-orm';
import type { Db } from '../../../../db/client.ts';
import {
  accounts,
  organisations,
  studioEvaluationApplicants,
  studioEvaluationReviewers,
  studioEvaluations,
  studioEvaluationScores,
  studioIndicatorSheets,
  studios,
} from '../../../../db/schema.ts';
import {
  indicatorSheetPreset,
  type EvaluationAggregation,
  type EvaluationBody,
  type EvaluationScore,
  type IndicatorSheet,
} from '../../../contracts/studios.ts';
import { combineEvaluation, reviewerConflict, validateScores } from '../../../domain/studios/index.ts';
import { AppError, conflict, forbidden, invalid, notFound } from '../../../errors.ts';
import type { StaffActor } from '../../../plugins/auth.plugin.ts';
import { recordAudit, type Tx } from '../../audit/audit.service.ts';
import { applyDecision, studioForField } from '../registry/studios.service.ts';
import {
  assertInStudioScope,
  EVALUATION_MANAGERS,
  inStudioReach,
  jurisdictionOf,
  organisationById,
  orgNames,
  settingsAt,
  studioScope,
  type OrgRow,
} from '../scope.ts';
import type {
  AddReviewerInput,
  CloseEvaluationInput,
  CreateEvaluationInput,
  EvaluationDetail,
  EvaluationRankingRow,
  EvaluationSummary,
  IndicatorSheetRecord,
  MySheet,
  ScoreSheetInput,
  UpdateEvaluationInput,
} from '../studios.contracts.ts';

type RoundRow = typeof studioEvaluations.$inferSelect;
type ReviewerRow = typeof studioEvaluationReviewers.$inferSelect;
type Aggregations = { union: EvaluationAggregation; hr_bureau: EvaluationAggregation };

const isManager = (actor: StaffActor) => (EVALUATION_MANAGERS as readonly string[]).includes(actor.role);

function assertManager(actor: StaffActor): void {
  if (!isManager(actor)) throw forbidden(`This needs one of the roles: ${EVALUATION_MANAGERS.join(', ')}`);
}

// ---------------------------------------------------------------------------------------
// Indicator sheets

function presentSheet(row: typeof studioIndicatorSheets.$inferSelect, org: OrgRow | undefined): IndicatorSheetRecord {
  return { id: row.id, org: { id: row.orgId, name: org?.name ?? '' }, name: row.name, items: row.items };
}

/** The preset and the sheets kept by bodies in the caller's scope. */
export function listSheets(db: Db, actor: StaffActor) {
  const scope = studioScope(db, actor);
  const rows = db
    .select({ sheet: studioIndicatorSheets, org: organisations })
    .from(studioIndicatorSheets)
    .innerJoin(organisations, eq(organisations.id, studioIndicatorSheets.orgId))
    .where(like(organisations.path, `${scope.path}%`))
    .orderBy(asc(studioIndicatorSheets.id))
    .all();
  return { preset: indicatorSheetPreset, items: rows.map((r) => presentSheet(r.sheet, r.org)) };
}

/** A body sets its own sheet: kept by the caller's organisation. */
export function createSheet(db: Db, actor: StaffActor, input: IndicatorSheet): IndicatorSheetRecord {
  assertManager(actor);
  return db.transaction((tx) => {
    const row = tx.insert(studioIndicatorSheets).values({ orgId: actor.orgId, name: input.name, items: input.items }).returning().get();
    recordAudit(tx, actor, { action: 'studio.sheet.create', entityType: 'studio_indicator_sheet', entityId: row.id, orgId: actor.orgId, after: row });
    return presentSheet(row, organisationById(tx, actor.orgId));
  });
}

/** Only the body that keeps a sheet changes it (an admin may change any in scope); rounds keep their copy. */
export function updateSheet(db: Db, actor: StaffActor, sheetId: number, input: IndicatorSheet): IndicatorSheetRecord {
  assertManager(actor);
  const before = db.select().from(studioIndicatorSheets).where(eq(studioIndicatorSheets.id, sheetId)).get();
  if (!before) throw notFound('Indicator sheet');
  const org = organisationById(db, before.orgId);
  assertInStudioScope(studioScope(db, actor), org.path);
  if (before.orgId !== actor.orgId && actor.role !== 'admin') throw forbidden('Only the body that keeps this sheet may change it');
  return db.transaction((tx) => {
    const row = tx.update(studioIndicatorSheets).set({ name: input.name, items: input.items }).where(eq(studioIndicatorSheets.id, sheetId)).returning().get();
    recordAudit(tx, actor, { action: 'studio.sheet.update', entityType: 'studio_indicator_sheet', entityId: sheetId, orgId: before.orgId, before, after: row });
    return presentSheet(row, org);
  });
}

// ---------------------------------------------------------------------------------------
// Rounds

function roundInScope(db: Db | Tx, actor: StaffActor, roundId: number): { round: RoundRow; org: OrgRow } {
  const found = db
    .select({ round: studioEvaluations, org: organisations })
    .from(studioEvaluations)
    .innerJoin(organisations, eq(organisations.id, studioEvaluations.orgId))
    .where(eq(studioEvaluations.id, roundId))
    .get();
  if (!found) throw notFound('Evaluation');
  assertInStudioScope(studioScope(db, actor), found.org.path);
  return found;
}

function openRoundToManage(db: Db | Tx, actor: StaffActor, roundId: number) {
  assertManager(actor);
  const found = roundInScope(db, actor, roundId);
  if (found.round.status !== 'open') throw conflict('evaluation_closed', 'The evaluation is closed');
  return found;
}

function aggregationsOf(round: RoundRow): Aggregations {
  const a = (round.aggregation ?? {}) as Partial<Aggregations>;
  return { union: a.union ?? { kind: 'mean' }, hr_bureau: a.hr_bureau ?? { kind: 'mean' } };
}

function summaryOf(round: RoundRow, org: OrgRow, applicants: number, reviewers: number): EvaluationSummary {
  return {
    id: round.id,
    name: round.name,
    year: round.year,
    org: { id: org.id, name: org.name },
    status: round.status,
    unionWeight: round.unionWeight,
    hrWeight: round.hrWeight,
    threshold: round.threshold,
    applicantCount: applicants,
    reviewerCount: reviewers,
    closedOn: round.closedOn,
  };
}

export function listEvaluations(db: Db, actor: StaffActor): EvaluationSummary[] {
  const scope = studioScope(db, actor);
  const rows = db
    .select({ round: studioEvaluations, org: organisations })
    .from(studioEvaluations)
    .innerJoin(organisations, eq(organisations.id, studioEvaluations.orgId))
    .where(like(organisations.path, `${scope.path}%`))
    .orderBy(desc(studioEvaluations.year), desc(studioEvaluations.id))
    .all();
  const ids = rows.map((r) => r.round.id);
  const counts = (table: typeof studioEvaluationApplicants | typeof studioEvaluationReviewers) =>
    new Map(
      ids.length === 0
        ? []
        : db
            .select({ id: table.evaluationId, n: count() })
            .from(table)
            .where(inArray(table.evaluationId, ids))
            .groupBy(table.evaluationId)
            .all()
            .map((r) => [r.id, r.n]),
    );
  const applicants = counts(studioEvaluationApplicants);
  const reviewers = counts(studioEvaluationReviewers);
  return rows.map((r) => summaryOf(r.round, r.org, applicants.get(r.round.id) ?? 0, reviewers.get(r.round.id) ?? 0));
}

export function createEvaluation(db: Db, actor: StaffActor, input: CreateEvaluationInput): EvaluationDetail {
  assertManager(actor);
  let sheet: IndicatorSheet = input.sheet ?? indicatorSheetPreset;
  if (input.sheetId !== undefined) {
    if (input.sheet) throw invalid('body.sheet', 'give either a sheet or a sheetId, not both');
    const found = db
      .select({ sheet: studioIndicatorSheets, org: organisations })
      .from(studioIndicatorSheets)
      .innerJoin(organisations, eq(organisations.id, studioIndicatorSheets.orgId))
      .where(eq(studioIndicatorSheets.id, input.sheetId))
      .get();
    if (!found) throw invalid('body.sheetId', `there is no indicator sheet ${input.sheetId}`);
    assertInStudioScope(studioScope(db, actor), found.org.path);
    sheet = { name: found.sheet.name, items: found.sheet.items };
  }
  return db.transaction((tx) => {
    const round = tx
      .insert(studioEvaluations)
      .values({
        orgId: actor.orgId,
        name: input.name,
        year: input.year,
        sheetId: input.sheetId ?? null,
        sheet,
        unionWeight: input.unionWeight,
        hrWeight: input.hrWeight,
        threshold: input.threshold,
        aggregation: input.aggregation,
      })
      .returning()
      .get();
    recordAudit(tx, actor, { action: 'studio.evaluation.create', entityType: 'studio_evaluation', entityId: round.id, orgId: actor.orgId, after: round });
    return presentEvaluation(tx, actor, round, organisationById(tx, actor.orgId));
  });
}

export function getEvaluation(db: Db, actor: StaffActor, roundId: number): EvaluationDetail {
  const { round, org } = roundInScope(db, actor, roundId);
  return presentEvaluation(db, actor, round, org);
}

export function updateEvaluation(db: Db, actor: StaffActor, roundId: number, patch: UpdateEvaluationInput): EvaluationDetail {
  const { round: before, org } = openRoundToManage(db, actor, roundId);
  // One weight alone must still add up with the stored other one.
  const unionWeight = patch.unionWeight ?? before.unionWeight;
  const hrWeight = patch.hrWeight ?? before.hrWeight;
  const sum = unionWeight + hrWeight;
  if (Math.abs(sum - 1) > 1e-9 && Math.abs(sum - 100) > 1e-7)
    throw invalid(patch.hrWeight !== undefined ? 'body.hrWeight' : 'body.unionWeight', 'the two weights must add up to 1 or to 100');
  return db.transaction((tx) => {
    const round = tx
      .update(studioEvaluations)
      .set({ name: patch.name, unionWeight, hrWeight, threshold: patch.threshold, aggregation: patch.aggregation })
      .where(eq(studioEvaluations.id, roundId))
      .returning()
      .get();
    recordAudit(tx, actor, { action: 'studio.evaluation.update', entityType: 'studio_evaluation', entityId: roundId, orgId: before.orgId, before, after: round });
    return presentEvaluation(tx, actor, round, org);
  });
}

/**
 * Puts an applicant studio into the round. An application not yet under evaluation enters it
 * (the `start_evaluation` step, a joint decision); a studio that is not applying cannot be added.
 */
export function addApplicant(db: Db, actor: StaffActor, roundId: number, input: { studioId: number; date: string }): EvaluationDetail {
  const { round, org } = openRoundToManage(db, actor, roundId);
  const { studio, host } = studioForField(db, studioScope(db, actor), input.studioId, 'body.studioId');
  const area = jurisdictionOf(db, round.orgId)!;
  if (!host.path.startsWith(area.path)) throw invalid('body.studioId', `${studio.name} is hosted outside the area of ${org.name}`);
  if (studio.status !== 'applied' && studio.status !== 'under_evaluation')
    throw new AppError(409, 'not_an_applicant', `${studio.name} is not applying for recognition (status ${studio.status})`, [
      { field: 'body.studioId', message: 'not applying' },
    ]);
  const elsewhere = db
    .select({ id: studioEvaluations.id, name: studioEvaluations.name })
    .from(studioEvaluationApplicants)
    .innerJoin(studioEvaluations, eq(studioEvaluations.id, studioEvaluationApplicants.evaluationId))
    .where(and(eq(studioEvaluationApplicants.studioId, studio.id), eq(studioEvaluations.status, 'open')))
    .get();
  if (elsewhere)
    throw new AppError(409, 'applicant_exists', `${studio.name} is already an applicant in ${elsewhere.name}`, [{ field: 'body.studioId', message: 'already in an open evaluation' }]);
  return db.transaction((tx) => {
    if (studio.status === 'applied')
      applyDecision(tx, actor, studio, host, settingsAt(tx, host.path), { action: 'start_evaluation', date: input.date, note: round.name, joint: true }, round.id);
    tx.insert(studioEvaluationApplicants).values({ evaluationId: roundId, studioId: studio.id }).run();
    recordAudit(tx, actor, { action: 'studio.evaluation.applicant.add', entityType: 'studio_evaluation', entityId: roundId, orgId: round.orgId, after: { studioId: studio.id } });
    return presentEvaluation(tx, actor, round, org);
  });
}

export function removeApplicant(db: Db, actor: StaffActor, roundId: number, studioId: number): EvaluationDetail {
  const { round, org } = openRoundToManage(db, actor, roundId);
  const row = db.select().from(studioEvaluationApplicants).where(and(eq(studioEvaluationApplicants.evaluationId, roundId), eq(studioEvaluationApplicants.studioId, studioId))).get();
  if (!row) throw notFound('Applicant');
  const scored = db.select({ n: count() }).from(studioEvaluationScores).where(and(eq(studioEvaluationScores.evaluationId, roundId), eq(studioEvaluationScores.studioId, studioId))).get()?.n ?? 0;
  if (scored > 0) throw conflict('applicant_scored', 'Reviewers have already scored this applicant');
  return db.transaction((tx) => {
    tx.delete(studioEvaluationApplicants).where(eq(studioEvaluationApplicants.id, row.id)).run();
    recordAudit(tx, actor, { action: 'studio.evaluation.applicant.remove', entityType: 'studio_evaluation', entityId: roundId, orgId: round.orgId, before: row });
    return presentEvaluation(tx, actor, round, org);
  });
}

/**
 * Puts a staff account on the panel for a body. The employer (for the conflict rule) is the one
 * given, else the account's organisation when that is an employer, else none (an outside expert).
 *
 * The panel shows each reviewer's name and employer, so both must lie within reach: the round's
 * area, which takes in the staff of both organising bodies (the county union's subtree and its
 * peer HR bureau in the HR line), or the caller's own studio scope. Anything else is refused
 * exactly like an id that names nothing.
 */
export function addReviewer(db: Db, actor: StaffActor, roundId: number, input: AddReviewerInput): EvaluationDetail {
  const { round, org } = openRoundToManage(db, actor, roundId);
  const reach = [jurisdictionOf(db, round.orgId)!, studioScope(db, actor)];
  const reachable = (o: OrgRow) => reach.some((scope) => inStudioReach(db, scope, o));
  const account = db.select({ a: accounts, org: organisations }).from(accounts).innerJoin(organisations, eq(organisations.id, accounts.orgId)).where(eq(accounts.id, input.accountId)).get();
  if (!account || !account.a.active || !reachable(account.org)) throw invalid('body.accountId', 'no such active account in your scope');
  let employerId: number | null = account.org.kind === 'employer' ? account.org.id : null;
  if (input.employerId !== undefined) {
    const employer = input.employerId === null ? null : db.select().from(organisations).where(eq(organisations.id, input.employerId)).get();
    if (employer === undefined || (employer !== null && !reachable(employer))) throw invalid('body.employerId', 'no such organisation in your scope');
    employerId = input.employerId;
  }
  const existing = db.select().from(studioEvaluationReviewers).where(and(eq(studioEvaluationReviewers.evaluationId, roundId), eq(studioEvaluationReviewers.accountId, input.accountId))).get();
  if (existing) throw new AppError(409, 'reviewer_exists', 'This account is already on the panel', [{ field: 'body.accountId', message: 'already on the panel' }]);
  return db.transaction((tx) => {
    const row = tx.insert(studioEvaluationReviewers).values({ evaluationId: roundId, accountId: input.accountId, body: input.body, employerId }).returning().get();
    recordAudit(tx, actor, { action: 'studio.evaluation.reviewer.add', entityType: 'studio_evaluation', entityId: roundId, orgId: round.orgId, after: row });
    return presentEvaluation(tx, actor, round, org);
  });
}

export function removeReviewer(db: Db, actor: StaffActor, roundId: number, reviewerId: number): EvaluationDetail {
  const { round, org } = openRoundToManage(db, actor, roundId);
  const row = db.select().from(studioEvaluationReviewers).where(and(eq(studioEvaluationReviewers.id, reviewerId), eq(studioEvaluationReviewers.evaluationId, roundId))).get();
  if (!row) throw notFound('Reviewer');
  const scored = db.select({ n: count() }).from(studioEvaluationScores).where(eq(studioEvaluationScores.reviewerId, reviewerId)).get()?.n ?? 0;
  if (scored > 0) throw conflict('reviewer_scored', 'This reviewer has already given scores');
  return db.transaction((tx) => {
    tx.delete(studioEvaluationReviewers).where(eq(studioEvaluationReviewers.id, reviewerId)).run();
    recordAudit(tx, actor, { action: 'studio.evaluation.reviewer.remove', entityType: 'studio_evaluation', entityId: roundId, orgId: round.orgId, before: row });
    return presentEvaluation(tx, actor, round, org);
  });
}

// ---------------------------------------------------------------------------------------
// Scoring

function reviewerOf(db: Db | Tx, roundId: number, accountId: number): ReviewerRow | undefined {
  return db.select().from(studioEvaluationReviewers).where(and(eq(studioEvaluationReviewers.evaluationId, roundId), eq(studioEvaluationReviewers.accountId, accountId))).get();
}

function applicantsOf(db: Db | Tx, roundId: number) {
  return db
    .select({ studio: studios, host: organisations })
    .from(studioEvaluationApplicants)
    .innerJoin(studios, eq(studios.id, studioEvaluationApplicants.studioId))
    .innerJoin(organisations, eq(organisations.id, studios.hostEmployerId))
    .where(eq(studioEvaluationApplicants.evaluationId, roundId))
    .orderBy(asc(studioEvaluationApplicants.id))
    .all();
}

/** The caller's scoring sheet: each applicant, whether they must stand aside, and their points so far. */
export function mySheet(db: Db, actor: StaffActor, roundId: number): MySheet {
  const { round } = roundInScope(db, actor, roundId);
  const reviewer = reviewerOf(db, roundId, actor.accountId);
  if (!reviewer) throw forbidden('You are not on the panel of this evaluation');
  const scores = db.select().from(studioEvaluationScores).where(eq(studioEvaluationScores.reviewerId, reviewer.id)).all();
  const employer = reviewer.employerId === null ? null : organisationById(db, reviewer.employerId);
  return {
    reviewer: { id: reviewer.id, body: reviewer.body, employer: employer ? { id: employer.id, name: employer.name } : null },
    sheet: round.sheet as IndicatorSheet,
    status: round.status,
    applicants: applicantsOf(db, roundId).map(({ studio, host }) => {
      const mine = scores.filter((s) => s.studioId === studio.id);
      return {
        studio: { id: studio.id, name: studio.name },
        host: { id: host.id, name: host.name },
        kind: studio.kind,
        conflict: reviewerConflict(reviewer, { hostEmployerId: studio.hostEmployerId }),
        points: Object.fromEntries(mine.map((s) => [s.itemId, s.points])),
        complete: mine.length === round.sheet.items.length,
      };
    }),
  };
}

/**
 * Stores the caller's points for one applicant (replacing their earlier ones), after the
 * domain's checks: on the panel, the applicant in the round, not their own employer's studio
 * (回避: 403 `reviewer_conflict`), items on the sheet and points within 0..max (400 naming the item).
 */
export function submitScores(db: Db, actor: StaffActor, roundId: number, input: ScoreSheetInput): MySheet {
  const { round } = roundInScope(db, actor, roundId);
  if (round.status !== 'open') throw conflict('evaluation_closed', 'The evaluation is closed');
  const reviewer = reviewerOf(db, roundId, actor.accountId);
  if (!reviewer) throw forbidden('You are not on the panel of this evaluation');
  const applicants = applicantsOf(db, roundId).map((a) => ({ id: a.studio.id, hostEmployerId: a.studio.hostEmployerId }));
  const scores: EvaluationScore[] = input.items.map((i) => ({ reviewerId: reviewer.id, body: reviewer.body, applicantId: input.studioId, itemId: i.itemId, points: i.points }));
  const checked = validateScores(round.sheet as IndicatorSheet, scores, {
    reviewers: [{ id: reviewer.id, body: reviewer.body, employerId: reviewer.employerId }],
    applicants,
  });
  if (!checked.ok) {
    const conflictProblem = checked.problems.find((p) => p.code === 'reviewer_conflict');
    if (conflictProblem) throw new AppError(403, 'reviewer_conflict', conflictProblem.message, [{ field: 'body.studioId', message: conflictProblem.message }]);
    const unknown = checked.problems.find((p) => p.code === 'unknown_applicant');
    if (unknown) throw new AppError(400, 'unknown_applicant', unknown.message, [{ field: 'body.studioId', message: unknown.message }]);
    const errors = checked.problems.map((p) => ({ field: p.field.replace(/^scores\.(\d+)\./, 'body.items.$1.'), message: p.message }));
    throw new AppError(400, checked.problems[0]!.code, errors.map((e) => e.message).join('；'), errors);
  }
  db.transaction((tx) => {
    const before = tx.select().from(studioEvaluationScores).where(and(eq(studioEvaluationScores.reviewerId, reviewer.id), eq(studioEvaluationScores.studioId, input.studioId))).all();
    tx.delete(studioEvaluationScores).where(and(eq(studioEvaluationScores.reviewerId, reviewer.id), eq(studioEvaluationScores.studioId, input.studioId))).run();
    const enteredAt = new Date();
    tx.insert(studioEvaluationScores)
      .values(input.items.map((i) => ({ evaluationId: roundId, reviewerId: reviewer.id, studioId: input.studioId, itemId: i.itemId, points: i.points, enteredAt })))
      .run();
    recordAudit(tx, actor, {
      action: 'studio.evaluation.score',
      entityType: 'studio_evaluation',
      entityId: roundId,
      orgId: round.orgId,
      before: before.map((s) => ({ itemId: s.itemId, points: s.points })),
      after: { reviewerId: reviewer.id, studioId: input.studioId, items: input.items },
    });
  });
  return mySheet(db, actor, roundId);
}

/** Combined scores and the ranked list: the domain's combineEvaluation over the stored scores. */
export function rankingOf(db: Db | Tx, round: RoundRow): { rows: EvaluationRankingRow[]; reviewers: ReviewerRow[] } {
  const applicants = applicantsOf(db, round.id);
  const reviewers = db.select().from(studioEvaluationReviewers).where(eq(studioEvaluationReviewers.evaluationId, round.id)).orderBy(asc(studioEvaluationReviewers.id)).all();
  const bodyOf = new Map(reviewers.map((r) => [r.id, r.body]));
  const scores = db.select().from(studioEvaluationScores).where(eq(studioEvaluationScores.evaluationId, round.id)).all();
  const combined = combineEvaluation(
    round.sheet as IndicatorSheet,
    scores.map((s) => ({ reviewerId: s.reviewerId, body: bodyOf.get(s.reviewerId)!, applicantId: s.studioId, itemId: s.itemId, points: s.points })),
    { unionWeight: round.unionWeight, hrWeight: round.hrWeight, threshold: round.threshold, aggregation: aggregationsOf(round) },
    applicants.map((a) => a.studio.id),
  );
  const byId = new Map(applicants.map((a) => [a.studio.id, a]));
  const expected = (studio: { hostEmployerId: number }, body: EvaluationBody) =>
    reviewers.filter((r) => r.body === body && !reviewerConflict(r, studio)).length;
  return {
    reviewers,
    rows: combined.map((row) => {
      const { studio, host } = byId.get(row.applicantId)!;
      return {
        studio: { id: studio.id, name: studio.name },
        kind: studio.kind,
        host: { id: host.id, name: host.name },
        status: studio.status,
        union: row.union,
        hrBureau: row.hrBureau,
        combined: row.combined,
        passed: row.recognised,
        rank: row.rank,
        sharedRank: row.sharedRank,
        expectedSheets: { union: expected(studio, 'union'), hrBureau: expected(studio, 'hr_bureau') },
      };
    }),
  };
}

function presentEvaluation(db: Db | Tx, actor: StaffActor, round: RoundRow, org: OrgRow): EvaluationDetail {
  const { rows, reviewers } = rankingOf(db, round);
  const accountRows = reviewers.length === 0 ? [] : db.select().from(accounts).where(inArray(accounts.id, reviewers.map((r) => r.accountId))).all();
  const accountById = new Map(accountRows.map((a) => [a.id, a]));
  const employers = orgNames(db, reviewers.flatMap((r) => (r.employerId === null ? [] : [r.employerId])));
  const scores = db
    .select({ reviewerId: studioEvaluationScores.reviewerId, studioId: studioEvaluationScores.studioId, n: count() })
    .from(studioEvaluationScores)
    .where(eq(studioEvaluationScores.evaluationId, round.id))
    .groupBy(studioEvaluationScores.reviewerId, studioEvaluationScores.studioId)
    .all();
  const items = (round.sheet as IndicatorSheet).items.length;
  const me = reviewers.find((r) => r.accountId === actor.accountId);
  const hosts = new Map(applicantsOf(db, round.id).map((a) => [a.studio.id, a.studio.hostEmployerId]));
  return {
    ...summaryOf(round, org, rows.length, reviewers.length),
    sheet: round.sheet as IndicatorSheet,
    aggregation: aggregationsOf(round),
    reviewers: reviewers.map((r) => {
      const account = accountById.get(r.accountId)!;
      const employer = r.employerId === null ? undefined : employers.get(r.employerId);
      return {
        id: r.id,
        account: { id: account.id, username: account.username, displayName: account.displayName },
        body: r.body,
        employer: employer ? { id: employer.id, name: employer.name } : null,
        conflictStudioIds: [...hosts.entries()].filter(([, hostId]) => reviewerConflict(r, { hostEmployerId: hostId })).map(([id]) => id),
        completeSheets: scores.filter((s) => s.reviewerId === r.id && s.n === items).length,
      };
    }),
    ranking: rows,
    me: me ? { reviewerId: me.id, body: me.body } : null,
    canManage: isManager(actor) && round.status === 'open',
  };
}

/**
 * Closes the round: scores are frozen. With `recognise`, every applicant at or above the
 * threshold that is still under evaluation is recognised at the level given, as a joint
 * decision of the union and the HR bureau that names the round and its score; the others stay
 * under evaluation for their line to decide.
 */
export function closeEvaluation(db: Db, actor: StaffActor, roundId: number, input: CloseEvaluationInput): EvaluationDetail {
  const { round, org } = openRoundToManage(db, actor, roundId);
  return db.transaction((tx) => {
    const { rows } = rankingOf(tx, round);
    if (input.recognise) {
      for (const row of rows) {
        if (!row.passed) continue;
        const studio = tx.select().from(studios).where(eq(studios.id, row.studio.id)).get()!;
        if (studio.status !== 'under_evaluation') continue;
        const host = organisationById(tx, studio.hostEmployerId);
        applyDecision(
          tx,
          actor,
          studio,
          host,
          settingsAt(tx, host.path),
          {
            action: 'recognise',
            date: input.date,
            level: input.recognise.level,
            termYears: input.recognise.termYears,
            joint: true,
            note: `${round.name}：综合得分${row.combined}，第${row.rank}名`,
          },
          round.id,
        );
      }
    }
    const closed = tx.update(studioEvaluations).set({ status: 'closed', closedOn: input.date }).where(eq(studioEvaluations.id, roundId)).returning().get();
    recordAudit(tx, actor, {
      action: 'studio.evaluation.close',
      entityType: 'studio_evaluation',
      entityId: roundId,
      orgId: round.orgId,
      before: { status: round.status },
      after: { status: 'closed', closedOn: input.date, recognise: input.recognise, ranking: rows.map((r) => ({ studioId: r.studio.id, combined: r.combined, rank: r.rank, passed: r.passed })) },
    });
    return presentEvaluation(tx, actor, closed, org);
  });
}

