import { describe, expect, it } from 'vitest';
import { tallyVote } from '../../../server/domain/review/index.ts';
import type { Vote, VoteChoice, VoteRule } from '../../../server/domain/review/index.ts';

/** Ballots for members 1, 2, 3… in order: 'f' for, 'a' against, 'x' abstain, '-' absent. */
function ballots(pattern: string): Vote[] {
  const choice: Record<string, VoteChoice> = { f: 'for', a: 'against', x: 'abstain' };
  return [...pattern].flatMap((c, i) => (c === '-' ? [] : [{ memberId: i + 1, choice: choice[c]! }]));
}
const committee = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

function tally(pattern: string, rule: VoteRule) {
  const result = tallyVote(committee(pattern.length), ballots(pattern), rule);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.tally;
}

describe('simple majority: more for than against among the votes cast', () => {
  it('abstentions and absences count neither way', () => {
    // 7 members: 3 for, 2 against, 2 abstain → 3 > 2
    expect(tally('fffaaxx', 'simple_majority')).toMatchObject({ members: 7, cast: 7, for: 3, against: 2, abstain: 2, absent: 0, forNeeded: 3, passed: true });
    // 2 for, 1 against, 4 absent → 2 > 1
    expect(tally('ffa----', 'simple_majority')).toMatchObject({ cast: 3, absent: 4, passed: true });
  });

  it('a tie fails, and so does a vote where everyone abstains', () => {
    expect(tally('ffaax', 'simple_majority')).toMatchObject({ for: 2, against: 2, forNeeded: 3, passed: false });
    expect(tally('xxx', 'simple_majority')).toMatchObject({ for: 0, against: 0, forNeeded: 1, passed: false });
  });
});

describe('absolute majority: more than half of all members for', () => {
  it('7 members need 4 votes for, whoever is absent', () => {
    expect(tally('ffff---', 'absolute_majority')).toMatchObject({ for: 4, forNeeded: 4, passed: true });
    // 3 for and 4 abstentions: abstaining weighs like voting against here (3 × 2 = 6 ≤ 7)
    expect(tally('fffxxxx', 'absolute_majority')).toMatchObject({ for: 3, against: 0, passed: false });
  });

  it('exactly half is not more than half', () => {
    // 8 members: 4 × 2 = 8, not > 8; 5 passes
    expect(tally('ffffaaaa', 'absolute_majority')).toMatchObject({ forNeeded: 5, passed: false });
    expect(tally('fffffaa-', 'absolute_majority')).toMatchObject({ passed: true });
  });
});

describe('two thirds: at least two thirds of all members for', () => {
  it('exactly two thirds passes', () => {
    // 6 members: 4 × 3 = 12 ≥ 6 × 2 = 12
    expect(tally('ffffaa', 'two_thirds')).toMatchObject({ forNeeded: 4, passed: true });
    expect(tally('fffaaa', 'two_thirds')).toMatchObject({ passed: false });
  });

  it('when members do not divide by three, the count is rounded up', () => {
    // 7 members: two thirds is 4.67, so 5 are needed (5 × 3 = 15 ≥ 14; 4 × 3 = 12 < 14)
    expect(tally('fffff--', 'two_thirds')).toMatchObject({ forNeeded: 5, absent: 2, passed: true });
    expect(tally('ffffxxx', 'two_thirds')).toMatchObject({ forNeeded: 5, passed: false });
    // 9 members: 6 needed
    expect(tally('ffffffaaa', 'two_thirds')).toMatchObject({ forNeeded: 6, passed: true });
    expect(tally('fffff-aaa', 'two_thirds')).toMatchObject({ passed: false });
  });
});

describe('the record and refusals', () => {
  it('records every member’s ballot, absent ones as null', () => {
    expect(tallyVote([7, 3, 5], [{ memberId: 5, choice: 'against' }, { memberId: 7, choice: 'for' }], 'simple_majority')).toEqual({
      ok: true,
      tally: {
        rule: 'simple_majority',
        members: 3,
        cast: 2,
        for: 1,
        against: 1,
        abstain: 0,
        absent: 1,
        forNeeded: 2,
        passed: false,
        ballots: [
          { memberId: 7, choice: 'for' },
          { memberId: 3, choice: null },
          { memberId: 5, choice: 'against' },
        ],
      },
    });
  });

  it('refuses a ballot by a non-member, a second ballot and an unknown choice, counting nothing', () => {
    const votes = [
      { memberId: 1, choice: 'for' },
      { memberId: 9, choice: 'for' },
      { memberId: 1, choice: 'against' },
      { memberId: 2, choice: 'maybe' as VoteChoice },
    ] satisfies Vote[];
    const result = tallyVote(committee(3), votes, 'two_thirds');
    expect(result).toEqual({
      ok: false,
      problems: [
        { index: 1, field: 'votes.1.memberId', code: 'not_a_member', message: '投票人不是本评审委员会成员' },
        { index: 2, field: 'votes.2.memberId', code: 'duplicate_vote', message: '同一委员重复投票' },
        { index: 3, field: 'votes.3.choice', code: 'unknown_choice', message: '表决意见须为同意、反对或弃权' },
      ],
    });
  });

  it('a committee without members, a member listed twice or an unknown rule is a configuration error', () => {
    expect(() => tallyVote([], [], 'simple_majority')).toThrow(RangeError);
    expect(() => tallyVote([1, 1], [], 'simple_majority')).toThrow(/twice/);
    expect(() => tallyVote([1], [], 'unanimous' as VoteRule)).toThrow(/rule/);
  });
});
