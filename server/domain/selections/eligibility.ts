/**
 * Who may stand in a craftsman selection (工匠评选). Conditions differ by place and year, so they
 * are data (`EligibilityRules`) with the public rules as presets; `checkEligibility` applies them
 * to what is known of a candidate and returns every rule they fail, each with a stable code (the
 * web app translates it) and the reason in Chinese (what the list and the audit show).
 *
 * Pure: no I/O, dates are `YYYY-MM-DD` strings.
 */

/**
 * The skill conditions a candidate may declare (合肥工匠: one of five is required):
 * - unique_technique: an irreplaceable technique or a recognised advanced working method (绝技绝活 / 先进操作法);
 * - trade_standing: city-wide standing in the trade (在全市同行业中处于领先水平);
 * - major_innovation: a major innovation with domestic-leading results (重大技术创新成果达到国内领先);
 * - top_contest: top 3 at WorldSkills or a national contest, or 1st at a Yangtze-delta / G60 /
 *   Anhui provincial contest (世界技能大赛、全国竞赛前三名，长三角、G60、省级竞赛第一名);
 * - city_contest_first: 1st place at a city contest (市级竞赛第一名).
 */
export const SKILL_CONDITIONS = ['unique_technique', 'trade_standing', 'major_innovation', 'top_contest', 'city_contest_first'] as const;
export type SkillCondition = (typeof SKILL_CONDITIONS)[number];

export const SKILL_CONDITION_NAMES: Record<SkillCondition, string> = {
  unique_technique: '掌握绝技绝活或先进操作法',
  trade_standing: '技能水平在全市同行业中领先',
  major_innovation: '重大技术创新成果达到国内领先',
  top_contest: '世界技能大赛、全国竞赛前三名或长三角、G60、省级竞赛第一名',
  city_contest_first: '市级职业技能竞赛第一名',
};

export type EligibilityRules = {
  /** Front-line workers only: company executives and heads may not apply. */
  frontLineOnly: boolean;
  /** Years in the trade at least; null = no minimum. */
  minYearsInTrade: number | null;
  /** Must still work in the trade. */
  stillInTrade: boolean;
  /** Declared conditions that waive the years in the trade (合肥: the top contest results). */
  yearsWaivedBy: SkillCondition[];
  /** At least one of these skill conditions must be declared; empty = none required. */
  skillConditionsAnyOf: SkillCondition[];
  /** Certified level at least this grade (a number ≤ it: 高级工 = 3); null = no minimum. */
  minSkillLevel: number | null;
  /** Age at the check date at most; null = no limit. */
  maxAge: number | null;
  /** Occupation code prefixes (e.g. `6-31`); empty = any occupation. */
  occupationPrefixes: string[];
  /** The nominee must declare no disciplinary record (无违纪违法记录). */
  noDisciplinaryRecord: boolean;
};

/** What the check reads about a candidate: the person's record and the nomination form. */
export type CandidateFacts = {
  birthDate: string;
  /** Certified level 1 (高级技师) … 5 (初级工); null when none. */
  skillLevel: number | null;
  occupationCode: string | null;
  /** null: not stated on the form. */
  frontLine: boolean | null;
  yearsInTrade: number | null;
  stillInTrade: boolean | null;
  skillConditions: readonly SkillCondition[];
  declaredNoDisciplinaryRecord: boolean;
  /** Already holds the title this selection confers (a title is never conferred twice). */
  holdsTitle: boolean;
};

export type EligibilityCode =
  | 'already_holds_title'
  | 'not_front_line'
  | 'front_line_not_stated'
  | 'too_few_years_in_trade'
  | 'years_in_trade_not_stated'
  | 'left_the_trade'
  | 'no_skill_condition'
  | 'skill_level_too_low'
  | 'no_certified_level'
  | 'too_old'
  | 'occupation_not_covered'
  | 'no_occupation'
  | 'no_disciplinary_declaration';

export type EligibilityFailure = { code: EligibilityCode; reason: string };
export type EligibilityResult = { eligible: boolean; checkedOn: string; failures: EligibilityFailure[] };

const LEVEL_TITLES = ['高级技师', '技师', '高级工', '中级工', '初级工'];
const levelTitle = (level: number) => LEVEL_TITLES[level - 1] ?? `${level}级`;

/** Whole years from `birthDate` to `asOf` (both `YYYY-MM-DD`). */
export function ageOn(birthDate: string, asOf: string): number {
  const years = Number(asOf.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return asOf.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

/** No limits at all (安徽工匠): only the title is never conferred twice. */
export const OPEN_RULES: EligibilityRules = {
  frontLineOnly: false,
  minYearsInTrade: null,
  stillInTrade: false,
  yearsWaivedBy: [],
  skillConditionsAnyOf: [],
  minSkillLevel: null,
  maxAge: null,
  occupationPrefixes: [],
  noDisciplinaryRecord: false,
};

/** 合肥工匠 (Hefei city union, from 2020). */
export const HEFEI_RULES: EligibilityRules = {
  frontLineOnly: true,
  minYearsInTrade: 5,
  stillInTrade: true,
  yearsWaivedBy: ['top_contest'],
  skillConditionsAnyOf: [...SKILL_CONDITIONS],
  minSkillLevel: null,
  maxAge: null,
  occupationPrefixes: [],
  noDisciplinaryRecord: true,
};

/**
 * Every rule the candidate fails, in a fixed order. A rule that needs a fact the form leaves
 * unstated fails with its own code, so the list says what to fill in rather than a false "no".
 */
export function checkEligibility(rules: EligibilityRules, facts: CandidateFacts, asOf: string): EligibilityResult {
  const failures: EligibilityFailure[] = [];
  const fail = (code: EligibilityCode, reason: string) => failures.push({ code, reason });

  if (facts.holdsTitle) fail('already_holds_title', '已获得该称号，同一称号不重复授予');
  if (rules.frontLineOnly) {
    if (facts.frontLine === null) fail('front_line_not_stated', '未说明是否为一线职工');
    else if (!facts.frontLine) fail('not_front_line', '仅限一线职工申报，企业负责人及经营管理人员不得申报');
  }
  const waived = rules.yearsWaivedBy.some((c) => facts.skillConditions.includes(c));
  if (rules.minYearsInTrade !== null && !waived) {
    if (facts.yearsInTrade === null) fail('years_in_trade_not_stated', '未填写从事本职业（工种）年限');
    else if (facts.yearsInTrade < rules.minYearsInTrade)
      fail('too_few_years_in_trade', `从事本职业（工种）${facts.yearsInTrade}年，不满${rules.minYearsInTrade}年，且无可免除年限要求的竞赛成绩`);
  }
  if (rules.stillInTrade && facts.stillInTrade !== true) fail('left_the_trade', '须仍在本职业（工种）岗位工作');
  if (rules.skillConditionsAnyOf.length > 0 && !rules.skillConditionsAnyOf.some((c) => facts.skillConditions.includes(c)))
    fail('no_skill_condition', `须具备以下条件之一：${rules.skillConditionsAnyOf.map((c) => SKILL_CONDITION_NAMES[c]).join('；')}`);
  if (rules.minSkillLevel !== null) {
    if (facts.skillLevel === null) fail('no_certified_level', `须取得${levelTitle(rules.minSkillLevel)}及以上职业技能等级，未查到等级证书`);
    else if (facts.skillLevel > rules.minSkillLevel)
      fail('skill_level_too_low', `须取得${levelTitle(rules.minSkillLevel)}及以上职业技能等级，现为${levelTitle(facts.skillLevel)}`);
  }
  if (rules.maxAge !== null) {
    const age = ageOn(facts.birthDate, asOf);
    if (age > rules.maxAge) fail('too_old', `年龄不超过${rules.maxAge}周岁，现为${age}周岁`);
  }
  if (rules.occupationPrefixes.length > 0) {
    if (!facts.occupationCode) fail('no_occupation', '未登记职业（工种）代码，无法核对申报范围');
    else if (!rules.occupationPrefixes.some((p) => facts.occupationCode!.startsWith(p)))
      fail('occupation_not_covered', `职业（工种）${facts.occupationCode}不在本次评选范围（${rules.occupationPrefixes.join('、')}）内`);
  }
  if (rules.noDisciplinaryRecord && !facts.declaredNoDisciplinaryRecord) fail('no_disciplinary_declaration', '未声明无违纪违法记录');
  return { eligible: failures.length === 0, checkedOn: asOf, failures };
}
