/**
 * The scoring engine: pure functions from a scheme, entries and judges' marks to part scores,
 * totals, rankings, team rankings and advancement. No I/O; depends only on the scheme contract.
 */
export { roundHalfUp, cleanFloat, toHundredths, fromHundredths } from './rounding.ts';
export { aggregate, aggregateMarks, marksNeeded } from './aggregation.ts';
export type { AggregateOutcome, AggregateOptions } from './aggregation.ts';
export { scoreEntry, rankEntries, computeRanking, isRankable } from './scoring.ts';
export type { EntryStatus, MarkInput, EntryInput, JudgePartMark, PartScore, EntryScore, RankingRow, RankOptions, WithdrawnRanking } from './scoring.ts';
export { computeTeamRanking, computeTeamStanding, placingPoints, ratioPoints } from './teams.ts';
export type { Ratio, TeamRankingOptions, TeamRankingRow, TeamStandingEventInput, TeamStandingRow } from './teams.ts';
export { finalStandings, ownRoundRanking } from './standings.ts';
export type { FinalStanding, StandingRound } from './standings.ts';
export { selectAdvancers, carriedTotal } from './advancement.ts';
export type { AdvancementResult } from './advancement.ts';
export { panelKey } from './scoring.ts';
export type { PanelExpectation } from './scoring.ts';
export { isRecused, panelExpectations, panelKeysOf, panelMembers } from './panels.ts';
export type { PanelJudge, RoundSeats } from './panels.ts';
