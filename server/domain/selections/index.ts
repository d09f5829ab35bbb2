/**
 * Craftsman selection (工匠评选): eligibility rules as data, rewards, and the timetable's dates.
 * Pure functions, no I/O; wire shapes and presets live in server/contracts/selections.ts.
 */
export { ageOn, checkEligibility, HEFEI_RULES, OPEN_RULES, SKILL_CONDITION_NAMES, SKILL_CONDITIONS } from './eligibility.ts';
export type { CandidateFacts, EligibilityCode, EligibilityFailure, EligibilityResult, EligibilityRules, SkillCondition } from './eligibility.ts';
export { amountDue, overpayment, rewardTotals, toFen } from './rewards.ts';
export type { Payment, Recipient, RewardTotals, TitleReward } from './rewards.ts';
export { certificateNumber, namingDay, nominationWindow, selectionPublicityEnd, termEnds } from './timetable.ts';
export { reviewsMissing, reviewYears, titleStanding } from './title-term.ts';
export type { TitleStanding } from './title-term.ts';
