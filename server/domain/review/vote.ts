/**
 * The review committee's vote (评审委员会表决) on the ranked list, or on any motion: each
 * member's ballot is recorded (for / against / abstain; absent members have none) and the
 * majority rule is a setting, since notices differ. Pure functions.
 *
 * Rules:
 * - `simple_majority` (简单多数): more for than against among the votes cast; abstentions and
 *   absences count neither way. A tie fails: a motion needs more support than opposition.
 * - `absolute_majority` (过半数): more than half of ALL members vote for. An abstention or an
 *   absence therefore weighs like a vote against, which is the point of the rule.
 * - `two_thirds` (三分之二以上): at least two thirds of all members vote for.
 * Comparisons are done in whole numbers (for × 3 ≥ members × 2), never with fractions.
 */

export const VOTE_RULES = ['simple_majority', 'absolute_majority', 'two_thirds'] as const;
export type VoteRule = (typeof VOTE_RULES)[number];

export const VOTE_CHOICES = ['for', 'against', 'abstain'] as const;
export type VoteChoice = (typeof VOTE_CHOICES)[number];

/** One member's ballot. */
export interface Vote {
  memberId: number;
  choice: VoteChoice;
}

/** A refused ballot: its index, the field as a dotted path, a stable code and a Chinese message. */
export interface VoteProblem {
  index: number;
  field: string;
  code: 'not_a_member' | 'duplicate_vote' | 'unknown_choice';
  message: string;
}

/** The counted vote, with every member's ballot for the record (表决记录). */
export interface VoteTally {
  rule: VoteRule;
  members: number;
  /** Ballots cast (for + against + abstain). */
  cast: number;
  for: number;
  against: number;
  abstain: number;
  /** Members without a ballot. */
  absent: number;
  /** Votes for the motion needed to pass under the rule, given the ballots cast. */
  forNeeded: number;
  passed: boolean;
  /** Every member in the order given, with their choice or null when absent. */
  ballots: { memberId: number; choice: VoteChoice | null }[];
}

/**
 * Counts the committee's vote under `rule` (see the module header).
 *
 * Ballots from people who are not members, a second ballot by the same member and unknown
 * choices are refused with every problem listed (nothing is counted then: a vote with a bad
 * ballot is re-taken, not silently corrected). A committee without members, or listing a
 * member twice, is a configuration error and throws a RangeError, as does an unknown rule.
 */
export function tallyVote(
  members: readonly number[],
  votes: readonly Vote[],
  rule: VoteRule,
): { ok: true; tally: VoteTally } | { ok: false; problems: VoteProblem[] } {
  if (!VOTE_RULES.includes(rule)) throw new RangeError(`unknown majority rule ${String(rule)}`);
  if (members.length === 0) throw new RangeError('a committee vote needs members');
  const memberSet = new Set(members);
  if (memberSet.size !== members.length) throw new RangeError('a member is listed twice on the committee');

  const problems: VoteProblem[] = [];
  const choiceOf = new Map<number, VoteChoice>();
  votes.forEach((vote, index) => {
    const add = (field: string, code: VoteProblem['code'], message: string) => problems.push({ index, field: `votes.${index}.${field}`, code, message });
    if (!memberSet.has(vote.memberId)) add('memberId', 'not_a_member', '投票人不是本评审委员会成员');
    else if (choiceOf.has(vote.memberId)) add('memberId', 'duplicate_vote', '同一委员重复投票');
    if (!VOTE_CHOICES.includes(vote.choice)) add('choice', 'unknown_choice', '表决意见须为同意、反对或弃权');
    // The first ballot of a member stands, so that a second one is reported as the duplicate.
    else if (memberSet.has(vote.memberId) && !choiceOf.has(vote.memberId)) choiceOf.set(vote.memberId, vote.choice);
  });
  if (problems.length > 0) return { ok: false, problems };

  const count = (choice: VoteChoice) => [...choiceOf.values()].filter((c) => c === choice).length;
  const inFavour = count('for');
  const against = count('against');
  const abstain = count('abstain');
  const n = members.length;
  const forNeeded = rule === 'simple_majority' ? against + 1 : rule === 'absolute_majority' ? Math.floor(n / 2) + 1 : Math.ceil((2 * n) / 3);
  const passed = rule === 'simple_majority' ? inFavour > against : rule === 'absolute_majority' ? inFavour * 2 > n : inFavour * 3 >= n * 2;
  return {
    ok: true,
    tally: {
      rule,
      members: n,
      cast: choiceOf.size,
      for: inFavour,
      against,
      abstain,
      absent: n - choiceOf.size,
      forNeeded,
      passed,
      ballots: members.map((memberId) => ({ memberId, choice: choiceOf.get(memberId) ?? null })),
    },
  };
}
