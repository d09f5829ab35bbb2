/**
 * What results lead to: prizes, honour titles, recommendations and skill-level promotions,
 * certificate numbers, the publicity period and the appeal window. Pure functions, no I/O; the
 * rule data and presets live in server/contracts/awards.ts.
 */
export { allocatePrizes, allocateTeamPrizes, prizeCertificateNumber, prizePlaces } from './prizes.ts';
export type {
  BoundaryTie,
  EntryPrize,
  LineChange,
  PrizeAllocation,
  PrizeAwardBase,
  PrizeCandidate,
  PrizeTierOutcome,
  TeamPrize,
  TeamPrizeCandidate,
} from './prizes.ts';
export { proposeAwards } from './titles.ts';
export type { AwardCandidate, AwardContext, AwardOutcome, AwardProposal, SkipCode, SkippedAward } from './titles.ts';
export { buildCertificateNumber, certificateNumberProblem, checkCertificateConsistency, parseCertificateNumber, PROVINCE_CODES } from './certificate-numbers.ts';
export type {
  CertificateConsistency,
  CertificateMismatch,
  CertificateNumberFields,
  CertificateNumberParts,
  CertificateNumberReason,
  CertificateNumberResult,
} from './certificate-numbers.ts';
export { CHIEF_TECHNICIAN_LEVEL, HIGHEST_PROMOTION_LEVEL, isCertifiedLevel, levelLabel, SPECIAL_TECHNICIAN_LEVEL } from './levels.ts';
export { appealDeadline, appealWindowOf, appealWindowOpen, publicityEnd, type AppealRule } from './publicity.ts';
