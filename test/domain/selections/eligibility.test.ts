import { describe, expect, it } from 'vitest';
import { SELECTION_PRESETS } from '../../../server/contracts/selections.ts';
import { ageOn, checkEligibility, HEFEI_RULES, OPEN_RULES, type CandidateFacts, type EligibilityRules } from '../../../server/domain/selections/index.ts';

/** A front-line electrician with 8 years in the trade, a declared skill condition and a clean record. */
const good: CandidateFacts = {
  birthDate: '1985-03-07',
  skillLevel: 3,
  occupationCode: '6-31-01-03',
  frontLine: true,
  yearsInTrade: 8,
  stillInTrade: true,
  skillConditions: ['unique_technique'],
  declaredNoDisciplinaryRecord: true,
  holdsTitle: false,
};
const codes = (rules: EligibilityRules, facts: Partial<CandidateFacts>) => checkEligibility(rules, { ...good, ...facts }, '2027-04-01').failures.map((f) => f.code);

describe('合肥工匠 rules', () => {
  it('admits a front-line worker of 5+ years still in the trade with a skill condition', () => {
    expect(checkEligibility(HEFEI_RULES, good, '2027-04-01')).toEqual({ eligible: true, checkedOn: '2027-04-01', failures: [] });
  });

  it('refuses each failed rule with its code and a Chinese reason', () => {
    const result = checkEligibility(HEFEI_RULES, { ...good, frontLine: false, yearsInTrade: 3, stillInTrade: false, skillConditions: [], declaredNoDisciplinaryRecord: false, holdsTitle: true }, '2027-04-01');
    expect(result.eligible).toBe(false);
    expect(result.failures.map((f) => f.code)).toEqual(['already_holds_title', 'not_front_line', 'too_few_years_in_trade', 'left_the_trade', 'no_skill_condition', 'no_disciplinary_declaration']);
    expect(result.failures.find((f) => f.code === 'too_few_years_in_trade')!.reason).toContain('不满5年');
    expect(result.failures.find((f) => f.code === 'not_front_line')!.reason).toContain('一线职工');
    expect(result.failures.find((f) => f.code === 'already_holds_title')!.reason).toContain('不重复授予');
  });

  it('a top contest result waives the five years; other conditions do not', () => {
    expect(codes(HEFEI_RULES, { yearsInTrade: 2, skillConditions: ['top_contest'] })).toEqual([]);
    expect(codes(HEFEI_RULES, { yearsInTrade: 2, skillConditions: ['city_contest_first'] })).toEqual(['too_few_years_in_trade']);
  });

  it('says what the form leaves unstated rather than answering no', () => {
    expect(codes(HEFEI_RULES, { frontLine: null, yearsInTrade: null })).toEqual(['front_line_not_stated', 'years_in_trade_not_stated']);
  });
});

describe('optional rules', () => {
  const strict: EligibilityRules = { ...OPEN_RULES, minSkillLevel: 3, maxAge: 45, occupationPrefixes: ['6-31'] };

  it('minimum certified level: 高级工 means level 3 or better', () => {
    expect(codes(strict, { skillLevel: 2 })).toEqual([]);
    expect(codes(strict, { skillLevel: 4 })).toEqual(['skill_level_too_low']);
    expect(checkEligibility(strict, { ...good, skillLevel: 4 }, '2027-04-01').failures[0]!.reason).toBe('须取得高级工及以上职业技能等级，现为中级工');
    expect(codes(strict, { skillLevel: null })).toEqual(['no_certified_level']);
  });

  it('maximum age at the check date, in whole years', () => {
    expect(ageOn('1982-04-02', '2027-04-01')).toBe(44);
    expect(ageOn('1982-04-01', '2027-04-01')).toBe(45);
    expect(codes(strict, { birthDate: '1982-04-01' })).toEqual([]);
    expect(codes(strict, { birthDate: '1981-04-01' })).toEqual(['too_old']);
  });

  it('occupation areas by code prefix', () => {
    expect(codes(strict, { occupationCode: '4-04-01-01' })).toEqual(['occupation_not_covered']);
    expect(codes(strict, { occupationCode: null })).toEqual(['no_occupation']);
  });
});

describe('安徽工匠: no limits', () => {
  it('admits anyone who does not already hold the title', () => {
    const anyone: CandidateFacts = { ...good, frontLine: false, yearsInTrade: null, stillInTrade: null, skillConditions: [], skillLevel: null, declaredNoDisciplinaryRecord: false };
    expect(checkEligibility(SELECTION_PRESETS.anhui_craftsman!.eligibilityRules, anyone, '2027-04-01').eligible).toBe(true);
    expect(codes(SELECTION_PRESETS.anhui_craftsman!.eligibilityRules, { ...anyone, holdsTitle: true })).toEqual(['already_holds_title']);
  });
});
