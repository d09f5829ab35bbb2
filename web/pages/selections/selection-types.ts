import type { z } from 'zod';
import type {
  candidateSchema,
  committeeSchema,
  myTasksSchema,
  eligibleAccountSchema,
  forwardableTitleSchema,
  importResultSchema,
  namingResultSchema,
  NominationForm,
  objectionSchema,
  paymentSchema,
  publicObjectionReceiptSchema,
  publicSelectionSchema,
  reviewerSheetSchema,
  reviewRankingSchema,
  rewardsSchema,
  SelectionPreset,
  selectionReviewerSchema,
  selectionSchema,
  selectionTitleSchema,
} from '../../../server/contracts/selections.ts';
import type { EligibilityRules, SkillCondition, TitleReward } from '../../../server/domain/selections/index.ts';
import { currentLang, t } from '../../app/i18n.ts';
import { levelText, yuan } from '../people/staff-ui.ts';
import '../../i18n/selections.ts';

/** The wire shapes the selection pages read (types only: nothing of zod reaches the bundle). */
export type { EligibilityRules, NominationForm, SelectionPreset, SkillCondition, TitleReward };
export type Selection = z.infer<typeof selectionSchema>;
export type Candidate = z.infer<typeof candidateSchema>;
export type ImportResult = z.infer<typeof importResultSchema>;
export type NamingResult = z.infer<typeof namingResultSchema>;
export type Objection = z.infer<typeof objectionSchema>;
export type Payment = z.infer<typeof paymentSchema>;
export type Rewards = z.infer<typeof rewardsSchema>;
export type PublicSelection = z.infer<typeof publicSelectionSchema>;
export type PublicObjectionReceipt = z.infer<typeof publicObjectionReceiptSchema>;
export type SelectionStatus = Selection['status'];
export type SelectionReviewer = z.infer<typeof selectionReviewerSchema>;
export type ReviewerSheet = z.infer<typeof reviewerSheetSchema>;
export type ReviewRanking = z.infer<typeof reviewRankingSchema>;
export type Committee = z.infer<typeof committeeSchema>;
export type MyTasks = z.infer<typeof myTasksSchema>;
/** An account a manager may seat on the panel or the committee (GET /api/selections/:id/eligible-accounts). */
export type EligibleAccount = z.infer<typeof eligibleAccountSchema>;
export type ForwardableTitle = z.infer<typeof forwardableTitleSchema>;
export type SelectionTitle = z.infer<typeof selectionTitleSchema>;
export type ReviewSetup = NonNullable<Selection['reviewSetup']>;

/** A body's printed name (工会, 人社部门, 专家) from the setup, or its key. */
export function bodyName(setup: ReviewSetup | null | undefined, key: string): string {
  for (const step of setup?.steps ?? []) for (const b of step.bodies) if (b.key === key) return b.name;
  return key;
}

/** Scores as the ranking prints them: two decimals at most, none when whole. */
export function scoreText(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : String(Math.round(n * 100) / 100);
}

/** The five skill conditions, in the order the rules list them (server/domain/selections/eligibility.ts). */
export const SKILL_CONDITION_KEYS: SkillCondition[] = ['unique_technique', 'trade_standing', 'major_innovation', 'top_contest', 'city_contest_first'];

/** Roles that run a selection (the owning union's) and that nominate (with the HR bureau). */
export const SELECTION_MANAGERS = ['admin', 'organiser'];
export const SELECTION_NOMINATORS = ['admin', 'organiser', 'hr_officer'];

/** The rules in words, one line each. */
export function rulesInWords(r: EligibilityRules): string[] {
  const skills = (list: SkillCondition[]) => list.map((c) => t(`sel.skill.${c}`)).join(t('sel.sep'));
  const out: string[] = [];
  if (r.frontLineOnly) out.push(t('sel.rule.frontLine'));
  if (r.minYearsInTrade !== null)
    out.push(t('sel.rule.years', { n: r.minYearsInTrade }) + (r.yearsWaivedBy.length ? t('sel.rule.yearsWaived', { conds: skills(r.yearsWaivedBy) }) : ''));
  if (r.stillInTrade) out.push(t('sel.rule.stillInTrade'));
  if (r.skillConditionsAnyOf.length) out.push(t('sel.rule.skillAnyOf', { conds: skills(r.skillConditionsAnyOf) }));
  if (r.minSkillLevel !== null) out.push(t('sel.rule.minLevel', { level: levelText(r.minSkillLevel) }));
  if (r.maxAge !== null) out.push(t('sel.rule.maxAge', { n: r.maxAge }));
  if (r.occupationPrefixes.length) out.push(t('sel.rule.occupations', { codes: r.occupationPrefixes.join('、') }));
  if (r.noDisciplinaryRecord) out.push(t('sel.rule.noDiscipline'));
  return out.length ? out : [t('sel.rules.none')];
}

export function rewardInWords(reward: TitleReward, nominationAwardYuan: number | null): string {
  const main =
    reward.kind === 'one_off'
      ? t('sel.reward.one_off', { yuan: yuan(reward.yuan) })
      : reward.kind === 'monthly'
        ? t('sel.reward.monthly', { yuan: yuan(reward.yuan), months: reward.months })
        : t('sel.reward.none');
  return nominationAwardYuan !== null ? `${main}${t('sel.sep')}${t('sel.nominationAward', { yuan: yuan(nominationAwardYuan) })}` : main;
}

export function statusBadgeClass(status: SelectionStatus): string {
  return status === 'publicity' ? 'warn' : status === 'named' ? 'ok' : status === 'nominating' || status === 'reviewing' ? 'accent' : '';
}

/** A failed rule as the reader reads it: the server's Chinese reason in Chinese, the code's English otherwise. */
export function failureText(f: { code: string; reason: string }, lang: string): string {
  if (lang === 'zh-CN') return f.reason;
  const key = `sel.elig.${f.code}`;
  const text = t(key);
  return text === key ? f.reason : text;
}

/** A server field message in the user's language: Chinese as it is, English only in English. */
export function fieldText(message: string | undefined): string | undefined {
  if (!message) return undefined;
  return currentLang() === 'zh-CN' && !/[\u4e00-\u9fff]/.test(message) ? t('sel.field.invalid') : message;
}
