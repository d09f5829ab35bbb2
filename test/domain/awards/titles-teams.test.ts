import { describe, expect, it } from 'vitest';
import { ANHUI_2023_RULES, FEIXI_B_LEVEL_RULES } from '../../../server/contracts/awards.ts';
import { proposeAwards } from '../../../server/domain/awards/index.ts';
import type { AwardCandidate } from '../../../server/domain/awards/index.ts';

/**
 * A team entry (班组, a pair) comes to the title rules as one candidate per member, all at the
 * team's place: titles and promotions are personal, places and the final's size are the entries'.
 */
const member = (entryId: number, personId: number, rank: number, extra: Partial<AwardCandidate> = {}): AwardCandidate => ({
  entryId,
  personId,
  rank,
  currentLevel: null,
  titles: [],
  promotedThisYear: false,
  ...extra,
});

describe('titles and promotions for team entries', () => {
  it('proposes the title to every member of a team in the top three, each once', () => {
    // Five teams of two: team 1 (people 11, 12) wins; team 4 (41, 42) is fourth.
    const rows = [1, 2, 3, 4, 5].flatMap((team) => [member(team, team * 10 + 1, team), member(team, team * 10 + 2, team)]);
    const outcome = proposeAwards({ competition: { grade: 'B', competitionClass: null, year: 2026 }, event: {}, rows }, FEIXI_B_LEVEL_RULES);
    const titled = outcome.proposals.filter((p) => p.kind === 'title' && p.titleKey === 'feixi_technical_expert').map((p) => p.personId);
    expect(titled.sort()).toEqual([11, 12, 21, 22, 31, 32]);
    // Members share their team's rank; that is not a shared rank between entries.
    expect(outcome.proposals.every((p) => !p.sharedRank)).toBe(true);
    // Five entries took part, not ten people.
    expect(outcome.finalists).toBe(5);
  });

  it('sizes the final by entries: ten teams of three are a final of ten (Anhui: 1st only)', () => {
    const rows = Array.from({ length: 10 }, (_, t) => [1, 2, 3].map((m) => member(t + 1, (t + 1) * 10 + m, t + 1))).flat();
    const outcome = proposeAwards({ competition: { grade: 'A', competitionClass: 'class1', year: 2026 }, event: {}, rows }, ANHUI_2023_RULES);
    const experts = outcome.proposals.filter((p) => p.kind === 'title').map((p) => p.personId);
    expect(experts.sort()).toEqual([11, 12, 13]); // ≤ 10 finalists: the winning team only, each member
  });
});
