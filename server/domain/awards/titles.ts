/**
 * From an event's results to proposals: honour titles (荣誉称号), recommendations to a higher
 * body and skill-level promotions through competition (以赛晋级). The rules are data
 * (server/contracts/awards.ts, TitleRule); this module evaluates them. Pure, no I/O: the caller
 * supplies each person's current level, titles and this year's promotions, and stores the
 * proposals for the union and the HR bureau to sign off.
 */
import type {
  CompetitionClass,
  CompetitionGrade,
  EntrantGroup,
  PlaceCondition,
  TitleAction,
  TitleCondition,
  TitleLevel,
  TitleRule,
  TitleRuleSet,
} from '../../contracts/awards.ts';
import { cleanFloat, roundHalfUp } from '../rounding.ts';
import type { EntryStatus } from '../scoring.ts';
import { HIGHEST_PROMOTION_LEVEL, levelLabel } from './levels.ts';

/** One finalist as the rules see them; a team entry gives one candidate per member, with the same entryId. */
export interface AwardCandidate {
  entryId: number;
  personId: number;
  /** Standard competition rank; null (or absent / disqualified) never qualifies. */
  rank: number | null;
  status?: EntryStatus;
  provisional?: boolean;
  /** Certified level: 1 (高级技师) … 5 (初级工), 0 特级技师, −1 首席技师; null without one. */
  currentLevel: number | null;
  /** Keys of the title types the person already holds. */
  titles: readonly string[];
  /** The person was already promoted through a competition this year. */
  promotedThisYear: boolean;
}

/** The competition, the event and its ranked finalists. */
export interface AwardContext {
  competition: { grade: CompetitionGrade; competitionClass: CompetitionClass | null; year: number };
  event: {
    /** Finalists the shares and size bands count; default: the ranked rows. */
    finalists?: number;
    /** Default 'workers': the product runs workers' (职工) competitions. */
    entrantGroup?: EntrantGroup;
    /**
     * The occupation (职业编码) the event is for. `null`: the contest is not a trade (a law-knowledge
     * quiz, a culture contest), so it proposes no skill-level promotion; titles are unaffected.
     * Left out: not known to the caller, promotions as the rules say.
     */
    occupationCode?: string | null;
  };
  rows: readonly AwardCandidate[];
}

interface ProposalBase {
  ruleId: string;
  /** Index of the action within the rule's `then`. */
  actionIndex: number;
  entryId: number;
  personId: number;
  rank: number;
  sharedRank: boolean;
  /** The person's result is provisional: the proposal may still change. */
  provisional: boolean;
  /** Chinese, for the proposal list and the approval record. */
  reason: string;
}

/** A proposal for the union and the HR bureau to sign off (maps onto award_proposals). */
export type AwardProposal = ProposalBase &
  (
    | { kind: 'title'; titleKey: string; titleName: string; titleLevel: TitleLevel }
    | { kind: 'recommendation'; titleKey: string; titleName: string; titleLevel: TitleLevel; firstInLine: boolean }
    | { kind: 'promotion'; fromLevel: number | null; toLevel: number }
  );

/** Why a qualifying person gets no proposal from a rule's action. */
export type SkipCode =
  | 'already_holds_title'
  | 'already_proposed'
  | 'promoted_this_year'
  | 'one_promotion_per_year'
  | 'at_highest_level'
  | 'at_or_above_target'
  | 'no_level'
  | 'no_occupation';

/** A qualifying person the action does not apply to, with the reason (Chinese). */
export interface SkippedAward {
  ruleId: string;
  actionIndex: number;
  entryId: number;
  personId: number;
  rank: number;
  kind: TitleAction['kind'];
  code: SkipCode;
  reason: string;
}

export interface AwardOutcome {
  /** By rank, then entry id, then rule and action order. */
  proposals: AwardProposal[];
  skipped: SkippedAward[];
  finalists: number;
  /** Some qualifying result is provisional. */
  provisional: boolean;
}

const TITLE_LEVEL_NAMES: Readonly<Record<TitleLevel, string>> = { county: '县级', city: '市级', province: '省级', national: '国家级' };

/**
 * Evaluates the rules on an event's results.
 *
 * A rule applies when the competition matches its grades, classes, years and entrant group and
 * the final's size its finalists range; then every ranked finalist whose place and certified
 * level meet the condition gets one proposal per action. Places compare ranks, so entrants
 * sharing a rank are treated alike (see PlaceCondition).
 *
 * Constraints, whatever the rules say:
 * - a title (or recommendation) is never proposed to a person who holds it, nor twice in one
 *   evaluation (the first rule in order proposes it);
 * - at most one promotion through competition per person per year: none for a person already
 *   promoted this year, and of several promotions the rules propose, the one to the highest
 *   level (the first rule in order on equal targets);
 * - a promotion never passes 一级/高级技师 and never goes down or sideways;
 * - a promotion needs the event's occupation: none for an event without one (`occupationCode: null`).
 * Each person a condition selects but a constraint stops is listed in `skipped` with why.
 *
 * @param rules parsed rules (titleRuleSchema / titleRuleSetSchema), in priority order
 */
export function proposeAwards(context: AwardContext, rules: readonly TitleRule[] | TitleRuleSet): AwardOutcome {
  const ruleList = 'rules' in rules ? rules.rules : rules;
  const ranked = context.rows
    .filter((r) => r.rank !== null && r.status !== 'absent' && r.status !== 'disqualified')
    .sort((a, b) => a.rank! - b.rank! || a.entryId - b.entryId);
  // A team entry (班组, a pair) comes as one row per member, all with the entry's rank: places,
  // finalists and shared ranks count entries, and every member is proposed alike.
  const finalists = context.event.finalists ?? new Set(ranked.map((r) => r.entryId)).size;
  if (!Number.isInteger(finalists) || finalists < 0) throw new RangeError(`finalists must be a whole number ≥ 0, got ${finalists}`);
  const perRank = new Map<number, Set<number>>();
  for (const r of ranked) perRank.set(r.rank!, (perRank.get(r.rank!) ?? new Set()).add(r.entryId));

  const proposals: (AwardProposal & { order: number })[] = [];
  const skipped: (SkippedAward & { order: number })[] = [];
  /** person|titleKey → the rule that proposed it. */
  const titled = new Map<string, string>();
  /** person → the promotion proposals the rules make, best chosen at the end. */
  const promotions = new Map<number, { proposal: AwardProposal & { kind: 'promotion'; order: number }; lead: string }[]>();
  let order = 0;
  let provisional = false;

  ruleList.forEach((rule) => {
    if (!competitionMatches(rule.when, context, finalists)) return;
    const place = qualifyingPlaces(rule.when.place, finalists);
    for (const row of ranked) {
      const rank = row.rank!;
      if (rank < place.from || rank > place.to || !levelMatches(rule.when, row.currentLevel)) continue;
      if (row.provisional) provisional = true;
      const sharedRank = (perRank.get(rank)?.size ?? 0) > 1;
      const lead = reasonLead(rule, row, rank, sharedRank, finalists, place.detail);
      rule.then.forEach((action, actionIndex) => {
        const base = { ruleId: rule.id, actionIndex, entryId: row.entryId, personId: row.personId, rank, order: order++ };
        const skip = (code: SkipCode, why: string) => skipped.push({ ...base, kind: action.kind, code, reason: `${lead}，但${why}` });
        const tail = reasonTail(rule, row);

        if (action.kind === 'title' || action.kind === 'recommendation') {
          const key = `${row.personId}|${action.titleKey}`;
          if (row.titles.includes(action.titleKey)) return skip('already_holds_title', `已获得“${action.titleName}”称号，不重复授予`);
          const earlier = titled.get(key);
          if (earlier !== undefined) return skip('already_proposed', `“${action.titleName}”已由规则${earlier}提出`);
          titled.set(key, rule.id);
          const common = { ...base, sharedRank, provisional: row.provisional === true, titleKey: action.titleKey, titleName: action.titleName, titleLevel: action.titleLevel };
          if (action.kind === 'title') proposals.push({ ...common, kind: 'title', reason: `${lead}，拟授予“${action.titleName}”称号${tail}` });
          else {
            const verb = action.firstInLine ? '优先推荐参评' : '推荐参评';
            proposals.push({ ...common, kind: 'recommendation', firstInLine: action.firstInLine, reason: `${lead}，${verb}${TITLE_LEVEL_NAMES[action.titleLevel]}称号“${action.titleName}”${tail}` });
          }
          return;
        }

        if (context.event.occupationCode === null) return skip('no_occupation', '本赛项不属于职业（工种）竞赛，不适用以赛晋级');
        if (row.promotedThisYear) return skip('promoted_this_year', '本年度已通过竞赛晋升过职业技能等级（每人每年至多晋升一次）');
        const target = promotionTarget(action, row.currentLevel);
        if (!target.ok) return skip(target.code, target.why);
        const now = row.currentLevel === null ? '现无职业技能等级' : `现为${levelLabel(row.currentLevel)}`;
        const proposal = {
          ...base,
          sharedRank,
          provisional: row.provisional === true,
          kind: 'promotion' as const,
          fromLevel: row.currentLevel,
          toLevel: target.to,
          reason: `${lead}，拟晋升为${levelLabel(target.to)}（${now}）${tail}`,
        };
        const list = promotions.get(row.personId);
        if (list) list.push({ proposal, lead });
        else promotions.set(row.personId, [{ proposal, lead }]);
      });
    }
  });

  // One promotion per person and year: the highest target wins; the rule order breaks ties.
  for (const list of promotions.values()) {
    const best = list.reduce((a, b) => (b.proposal.toLevel < a.proposal.toLevel ? b : a)).proposal;
    proposals.push(best);
    for (const { proposal: other, lead } of list) {
      if (other === best) continue;
      skipped.push({
        ruleId: other.ruleId,
        actionIndex: other.actionIndex,
        entryId: other.entryId,
        personId: other.personId,
        rank: other.rank,
        kind: 'promotion',
        code: 'one_promotion_per_year',
        reason: `${lead}，但本次已按规则${best.ruleId}建议晋升为${levelLabel(best.toLevel)}（每人每年至多晋升一次）`,
        order: other.order,
      });
    }
  }

  const byPlace = (a: { rank: number; entryId: number; order: number }, b: { rank: number; entryId: number; order: number }) =>
    a.rank - b.rank || a.entryId - b.entryId || a.order - b.order;
  return {
    proposals: proposals.sort(byPlace).map(({ order: _, ...p }) => p as AwardProposal),
    skipped: skipped.sort(byPlace).map(({ order: _, ...s }) => s),
    finalists,
    provisional,
  };
}

function competitionMatches(when: TitleCondition, context: AwardContext, finalists: number): boolean {
  const { competition, event } = context;
  if (when.grades && !when.grades.includes(competition.grade)) return false;
  if (when.classes && !when.classes.includes(competition.competitionClass)) return false;
  if (when.years?.from !== undefined && competition.year < when.years.from) return false;
  if (when.years?.to !== undefined && competition.year > when.years.to) return false;
  if (when.entrantGroups && !when.entrantGroups.includes(event.entrantGroup ?? 'workers')) return false;
  if (when.finalists?.min !== undefined && finalists < when.finalists.min) return false;
  if (when.finalists?.max !== undefined && finalists > when.finalists.max) return false;
  return true;
}

function levelMatches(when: TitleCondition, level: number | null): boolean {
  // Smaller numbers are higher grades; no level is below every grade.
  if (when.level?.orAbove !== undefined && (level === null || level > when.level.orAbove)) return false;
  if (when.level?.orBelow !== undefined && level !== null && level < when.level.orBelow) return false;
  return true;
}

/** The rank range a place condition admits for a final of `finalists`, and how a share was cut. */
function qualifyingPlaces(place: PlaceCondition, finalists: number): { from: number; to: number; detail: string } {
  switch (place.kind) {
    case 'rank':
      return { from: place.from, to: place.to, detail: '' };
    case 'by_finalists': {
      const band = place.bands.find((b) => b.upToFinalists === null || finalists <= b.upToFinalists);
      return { from: 1, to: band?.places ?? 0, detail: '' };
    }
    case 'share': {
      const cut = (percent: number) => {
        const exact = cleanFloat((finalists * percent) / 100);
        return place.rounding === 'floor' ? Math.floor(exact) : place.rounding === 'ceil' ? Math.ceil(exact) : roundHalfUp(exact, 0);
      };
      const above = place.abovePercent === 0 ? 0 : cut(place.abovePercent);
      const upTo = cut(place.upToPercent);
      const detail =
        place.abovePercent === 0
          ? `，前${place.upToPercent}%为前${upTo}名`
          : `，前${place.abovePercent}%至${place.upToPercent}%为第${above + 1}至${upTo}名`;
      return { from: above + 1, to: upTo, detail };
    }
  }
}

function reasonLead(rule: TitleRule, row: AwardCandidate, rank: number, sharedRank: boolean, finalists: number, detail: string): string {
  const place = `${sharedRank ? '并列' : ''}第${rank}名（共${finalists}名决赛选手${detail}）`;
  // State the level when the rule asks for one, so the approver sees why the person qualifies.
  const level = rule.when.level === undefined ? '' : row.currentLevel === null ? '，现无职业技能等级' : `，现为${levelLabel(row.currentLevel)}`;
  return `${place}${level}，符合${rule.name}条件`;
}

function reasonTail(rule: TitleRule, row: AwardCandidate): string {
  return `${rule.note ? `（${rule.note}）` : ''}${row.provisional ? '（成绩尚未最终确定）' : ''}`;
}

type Target = { ok: true; to: number } | { ok: false; code: 'at_highest_level' | 'at_or_above_target' | 'no_level'; why: string };

function promotionTarget(action: TitleAction & { kind: 'promotion' }, current: number | null): Target {
  if (current !== null && current <= HIGHEST_PROMOTION_LEVEL)
    return { ok: false, code: 'at_highest_level', why: `现为${levelLabel(current)}，竞赛晋级最高至一级/高级技师` };
  const mapped = action.already.find((m) => m.from === current);
  let to: number;
  if (mapped) to = mapped.to;
  else if (action.to === 'one_up') {
    if (current === null) return { ok: false, code: 'no_level', why: '现无职业技能等级，无法晋升一级' };
    to = current - 1;
  } else {
    if (current !== null && current <= action.to)
      return { ok: false, code: 'at_or_above_target', why: `现为${levelLabel(current)}，已达到或高于晋升目标${levelLabel(action.to)}` };
    to = action.to;
  }
  // The contract only allows targets 1–5 that go up; this keeps the ceiling even for unparsed data.
  return { ok: true, to: Math.max(HIGHEST_PROMOTION_LEVEL, to) };
}
