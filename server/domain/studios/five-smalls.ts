/**
 * The "five smalls" campaign (五小: 小发明, 小创造, 小革新, 小设计, 小建议): screening, scoring by
 * several departments on economic, social, safety and management benefit, ranking and award
 * tiers (Fushun: 368 entries, 8 / 15 / 22 prizes).
 *
 * Rounding points (half-up, 2 decimals), as on a printed result sheet:
 * (a) a department's score for an entry = the weighted mean of its criterion points, rounded;
 * (b) the combined score = the mean of the rounded department scores, rounded.
 */
import { BENEFIT_CRITERION_NAMES, FIVE_SMALLS_CATEGORY_NAMES } from '../../contracts/studios.ts';
import type {
  AwardTiersConfigInput,
  BenefitCriterion,
  FiveSmallsCategory,
  FiveSmallsConfigInput,
  FiveSmallsEntry,
  FiveSmallsScore,
  FiveSmallsScreeningInput,
} from '../../contracts/studios.ts';
import { cleanFloat, roundHalfUp } from '../rounding.ts';
import { rankByScore } from './shared-ranks.ts';

const ALL_CATEGORIES: readonly FiveSmallsCategory[] = ['invention', 'creation', 'innovation', 'design', 'suggestion'];
const CRITERIA: readonly BenefitCriterion[] = ['economic', 'social', 'safety', 'management'];

/** Why an entry was screened out: a stable code and a Chinese message. */
export interface ScreeningReason {
  code: 'excluded' | 'category_not_open' | 'outside_period' | 'not_implemented' | 'previously_awarded' | 'duplicate' | 'too_many_entries';
  message: string;
}

/** The outcome of {@link screenFiveSmalls}; both lists in id order. */
export interface ScreeningResult {
  eligible: FiveSmallsEntry[];
  ineligible: { entry: FiveSmallsEntry; reasons: ScreeningReason[] }[];
}

/**
 * Screens entries (资格审查). Every failed rule is reported:
 * - `excluded`: excluded by hand by the screening group, with their reason;
 * - `category_not_open`, `outside_period` (completion date outside the accepted dates),
 *   `not_implemented` (not in use at work; suggestions are exempt), `previously_awarded`;
 * then, among the entries that pass those rules, in id (submission) order:
 * - `duplicate`: same submitter and same title (ignoring case, width and spacing) as an
 *   earlier entry; a corrected resubmission of an entry that failed a rule is not a duplicate;
 * - `too_many_entries`: beyond `maxEntriesPerSubmitter`, the earliest entries kept.
 */
export function screenFiveSmalls(entries: readonly FiveSmallsEntry[], screening: FiveSmallsScreeningInput = {}): ScreeningResult {
  const categories = new Set(screening.categories ?? ALL_CATEGORIES);
  const from = screening.completedFrom ?? null;
  const to = screening.completedTo ?? null;
  const exclusions = new Map((screening.exclusions ?? []).map((e) => [e.entryId, e.reason]));
  const sorted = [...entries].sort((a, b) => a.id - b.id);

  const reasons = new Map<number, ScreeningReason[]>();
  const add = (entry: FiveSmallsEntry, reason: ScreeningReason) => {
    const list = reasons.get(entry.id);
    if (list) list.push(reason);
    else reasons.set(entry.id, [reason]);
  };
  for (const entry of sorted) {
    const excluded = exclusions.get(entry.id);
    if (excluded !== undefined) add(entry, { code: 'excluded', message: excluded });
    if (!categories.has(entry.category))
      add(entry, { code: 'category_not_open', message: `本次活动不征集${FIVE_SMALLS_CATEGORY_NAMES[entry.category]}类成果` });
    if ((from !== null && entry.completedOn < from) || (to !== null && entry.completedOn > to))
      add(entry, { code: 'outside_period', message: `成果完成时间须在${from ?? '不限'}至${to ?? '不限'}之间` });
    if ((screening.requireImplemented ?? true) && !entry.implemented && entry.category !== 'suggestion')
      add(entry, { code: 'not_implemented', message: '成果须已在生产工作中实施应用' });
    if ((screening.excludePreviouslyAwarded ?? true) && entry.previouslyAwarded)
      add(entry, { code: 'previously_awarded', message: '成果已在以往评选中获奖，不得重复申报' });
  }

  const firstByTitle = new Map<string, number>();
  const keptPerSubmitter = new Map<string, number>();
  const limit = screening.maxEntriesPerSubmitter ?? null;
  for (const entry of sorted) {
    if (reasons.has(entry.id)) continue;
    const submitter = `${entry.submitter.type}:${entry.submitter.id}`;
    const titleKey = `${submitter}|${normaliseTitle(entry.title)}`;
    const first = firstByTitle.get(titleKey);
    if (first !== undefined) {
      add(entry, { code: 'duplicate', message: `与第${first}号作品重复（同一申报人、同一名称）` });
      continue;
    }
    firstByTitle.set(titleKey, entry.id);
    const kept = keptPerSubmitter.get(submitter) ?? 0;
    if (limit !== null && kept >= limit) {
      add(entry, { code: 'too_many_entries', message: `每位申报人最多申报${limit}项` });
      continue;
    }
    keptPerSubmitter.set(submitter, kept + 1);
  }

  const result: ScreeningResult = { eligible: [], ineligible: [] };
  for (const entry of sorted) {
    const list = reasons.get(entry.id);
    if (list) result.ineligible.push({ entry, reasons: list });
    else result.eligible.push(entry);
  }
  return result;
}

function normaliseTitle(title: string): string {
  return title.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
}

/** One entry's line in the five-smalls ranking. */
export interface FiveSmallsRow {
  entryId: number;
  category: FiveSmallsCategory;
  /** Each configured department's score, 2 decimals; null when its sheet is missing or incomplete. */
  departments: { departmentId: number; score: number | null }[];
  /** Mean of the department scores, 2 decimals; null when the entry cannot be ranked yet. */
  combined: number | null;
  rank: number | null;
  sharedRank: boolean;
}

/**
 * Scores and ranks eligible entries.
 *
 * A department's score is the weighted mean of its criterion points (weights per department,
 * equal by default; a criterion weighted 0 is not needed from that department), on the
 * criterion scale (0..maxPoints). The combined score is the mean over departments: all of
 * them by default (`requireAllDepartments`), otherwise those that scored the entry.
 * Ranks are shared on equal combined scores (1, 2, 2, 4); the result is in rank order,
 * unranked entries last. Scores of entries not in `entries` (screened out) are ignored.
 * Throws a RangeError for a score of an unknown department, points outside 0..maxPoints or a
 * department scoring the same criterion of an entry twice.
 */
export function rankFiveSmalls(
  entries: readonly FiveSmallsEntry[],
  scores: readonly FiveSmallsScore[],
  config: FiveSmallsConfigInput,
): FiveSmallsRow[] {
  const maxPoints = config.maxPoints ?? 100;
  const requireAll = config.requireAllDepartments ?? true;
  const departments = config.departments.map((d) => ({ id: d.id, weights: weightsOf(d.weights) }));
  const departmentIds = new Set(departments.map((d) => d.id));
  const entryIds = new Set(entries.map((e) => e.id));

  // entry → department → criterion → points
  const sheets = new Map<number, Map<number, Map<BenefitCriterion, number>>>();
  for (const s of scores) {
    if (!departmentIds.has(s.departmentId)) throw new RangeError(`score from department ${s.departmentId}, which is not in the campaign`);
    if (!Number.isFinite(s.points) || s.points < 0 || s.points > maxPoints)
      throw new RangeError(`${BENEFIT_CRITERION_NAMES[s.criterion]} points ${s.points} outside 0..${maxPoints}`);
    if (!entryIds.has(s.entryId)) continue;
    let byDepartment = sheets.get(s.entryId);
    if (!byDepartment) sheets.set(s.entryId, (byDepartment = new Map()));
    let points = byDepartment.get(s.departmentId);
    if (!points) byDepartment.set(s.departmentId, (points = new Map()));
    if (points.has(s.criterion)) throw new RangeError(`department ${s.departmentId} scored ${s.criterion} of entry ${s.entryId} twice`);
    points.set(s.criterion, s.points);
  }

  const rows: Omit<FiveSmallsRow, 'rank' | 'sharedRank'>[] = entries.map((entry) => {
    const byDepartment = sheets.get(entry.id);
    const scored = departments.map((d) => ({ departmentId: d.id, score: departmentScore(byDepartment?.get(d.id), d.weights) }));
    const present = scored.flatMap((d) => (d.score === null ? [] : [d.score]));
    const rankable = requireAll ? present.length === departments.length : present.length > 0;
    const combined = rankable ? roundHalfUp(cleanFloat(present.reduce((a, b) => a + b, 0)) / present.length, 2) : null; // rounding point (b)
    return { entryId: entry.id, category: entry.category, departments: scored, combined };
  });
  return rankByScore(rows, (r) => r.combined, (r) => r.entryId).map(({ item, rank, sharedRank }) => ({ ...item, rank, sharedRank }));
}

function weightsOf(w: Partial<Record<BenefitCriterion, number>> | undefined): Record<BenefitCriterion, number> {
  const weights = { economic: w?.economic ?? 1, social: w?.social ?? 1, safety: w?.safety ?? 1, management: w?.management ?? 1 };
  const total = CRITERIA.reduce((sum, c) => sum + weights[c], 0);
  if (CRITERIA.some((c) => !(weights[c] >= 0)) || !(total > 0)) throw new RangeError('criterion weights must be ≥ 0 and not all 0');
  return weights;
}

function departmentScore(points: Map<BenefitCriterion, number> | undefined, weights: Record<BenefitCriterion, number>): number | null {
  if (!points) return null;
  let weighted = 0;
  let total = 0;
  for (const c of CRITERIA) {
    const w = weights[c];
    if (w === 0) continue;
    const p = points.get(c);
    if (p === undefined) return null;
    weighted += p * w;
    total += w;
  }
  return roundHalfUp(cleanFloat(weighted) / total, 2); // rounding point (a)
}

/** An entry's award: its tier (1 = 一等奖) and prize money per entry, or null. */
export interface AwardRow {
  entryId: number;
  rank: number | null;
  tier: number | null;
  prizeYuan: number | null;
}

/** The outcome of {@link awardTiers}. */
export interface AwardResult {
  /** In rank order, unranked rows last. */
  rows: AwardRow[];
  /** Per tier: planned places, entries awarded and the money they get in total. */
  tiers: { tier: number; planned: number; awarded: number; prizeYuanEach: number | null; totalYuan: number | null }[];
  awarded: number;
  totalPrizeYuan: number | null;
}

/**
 * Assigns award tiers in rank order: `counts[k]` places in tier k + 1. Entries with equal rank
 * form a tied group that always gets one tier together; what happens when a group straddles
 * a tier boundary is `ties`:
 *
 * - `include` (default, 并列者同获该奖，下一奖项名额相应减少): the group takes the tier its
 *   first member reaches; later tiers keep their cumulative boundaries, so the next tier has
 *   as many fewer places. Only a tie across the last boundary awards more than Σ counts.
 *   Formally: a group whose first member is at position p (0-based) gets the first tier k
 *   with p < counts[0] + … + counts[k].
 * - `exclude`: the group enters a tier only if it fits in the places left; if not, the tier
 *   closes (its remaining places stay empty) and the group is tried for the next tier with
 *   that tier's full count. No lower-ranked entry ever passes a higher-ranked one, and no tier
 *   exceeds its count.
 *
 * Rows with a null rank get no award. Prize money is per entry of a tier.
 */
export function awardTiers(ranking: readonly { entryId: number; rank: number | null }[], config: AwardTiersConfigInput): AwardResult {
  const counts = config.counts;
  if (counts.length === 0 || counts.some((c) => !Number.isInteger(c) || c < 0))
    throw new RangeError('tier counts must be whole numbers ≥ 0');
  const money = config.prizeMoney;
  if (money !== undefined && money.length !== counts.length) throw new RangeError('one prize amount per tier');
  const ties = config.ties ?? 'include';

  const ranked = ranking.filter((r) => r.rank !== null).sort((a, b) => a.rank! - b.rank! || a.entryId - b.entryId);
  const groups: (typeof ranked)[] = [];
  for (const row of ranked) {
    const last = groups[groups.length - 1];
    if (last && last[0]!.rank === row.rank) last.push(row);
    else groups.push([row]);
  }

  const tierOf = new Map<number, number>();
  if (ties === 'include') {
    const boundaries = cumulative(counts);
    let position = 0;
    for (const group of groups) {
      const k = boundaries.findIndex((b) => position < b);
      if (k === -1) break;
      for (const row of group) tierOf.set(row.entryId, k + 1);
      position += group.length;
    }
  } else {
    let k = 0;
    let used = 0;
    for (const group of groups) {
      while (k < counts.length && used + group.length > counts[k]!) {
        k++;
        used = 0;
      }
      if (k === counts.length) break;
      for (const row of group) tierOf.set(row.entryId, k + 1);
      used += group.length;
    }
  }

  const rows: AwardRow[] = [...ranked, ...ranking.filter((r) => r.rank === null).sort((a, b) => a.entryId - b.entryId)].map((r) => {
    const tier = tierOf.get(r.entryId) ?? null;
    return { entryId: r.entryId, rank: r.rank, tier, prizeYuan: tier !== null && money ? money[tier - 1]! : null };
  });
  const tiers = counts.map((planned, k) => {
    const awarded = rows.filter((r) => r.tier === k + 1).length;
    const each = money ? money[k]! : null;
    return { tier: k + 1, planned, awarded, prizeYuanEach: each, totalYuan: each === null ? null : cleanFloat(each * awarded) };
  });
  return {
    rows,
    tiers,
    awarded: tierOf.size,
    totalPrizeYuan: money ? cleanFloat(tiers.reduce((sum, t) => sum + (t.totalYuan ?? 0), 0)) : null,
  };
}

/**
 * Tier counts from shares of the entrants, rounded down (a share is a ceiling, never
 * exceeded): `tierCountsFromShares(368, [0.1, 0.2, 0.3])` → [36, 73, 110] (the 2012 national
 * 10 % / 20 % / 30 % rule).
 */
export function tierCountsFromShares(entrants: number, shares: readonly number[]): number[] {
  if (!Number.isInteger(entrants) || entrants < 0) throw new RangeError('entrants must be a whole number ≥ 0');
  return shares.map((share) => {
    if (!(share >= 0 && share <= 1)) throw new RangeError(`share ${share} outside 0..1`);
    return Math.floor(cleanFloat(entrants * share));
  });
}

function cumulative(counts: readonly number[]): number[] {
  let sum = 0;
  return counts.map((c) => (sum += c));
}
