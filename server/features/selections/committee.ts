import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { craftsmanCommittee, craftsmanSelections, craftsmanVotes } from '../../../db/schema.ts';
import { reviewSetupSchema } from '../../contracts/selections.ts';
import { tallyVote, type VoteTally } from '../../domain/review/index.ts';
import type { Tx } from '../audit/audit.service.ts';

/**
 * The review committee's members and ballots, and their count under the selection's majority
 * rule. Kept apart from both services so the publicity gate (selections.service.ts) and the
 * committee's own routes (selection-review.service.ts) count the same way without importing
 * each other. Only the current vote round counts; a list voted down went back to the panel and
 * its earlier rounds are history (`earlierRounds`).
 */

export type CommitteeMemberRow = typeof craftsmanCommittee.$inferSelect;
export type VoteRow = typeof craftsmanVotes.$inferSelect;
type SelectionRow = typeof craftsmanSelections.$inferSelect;

export function committeeOf(db: Db | Tx, sel: Pick<SelectionRow, 'id' | 'voteRound'>, round = sel.voteRound): { members: CommitteeMemberRow[]; votes: VoteRow[] } {
  return {
    members: db.select().from(craftsmanCommittee).where(eq(craftsmanCommittee.selectionId, sel.id)).orderBy(asc(craftsmanCommittee.id)).all(),
    votes: db
      .select()
      .from(craftsmanVotes)
      .where(and(eq(craftsmanVotes.selectionId, sel.id), eq(craftsmanVotes.round, round)))
      .orderBy(asc(craftsmanVotes.id))
      .all(),
  };
}

/** The count of the vote on the proposed list in a round (the current one by default); null when the selection has no committee (or no review setup, which holds the rule). */
export function committeeTally(db: Db | Tx, sel: SelectionRow, round = sel.voteRound): VoteTally | null {
  if (!sel.reviewSetup) return null;
  const { members, votes } = committeeOf(db, sel, round);
  if (members.length === 0) return null;
  const counted = tallyVote(
    members.map((m) => m.id),
    votes.map((v) => ({ memberId: v.memberId, choice: v.choice })),
    reviewSetupSchema.parse(sel.reviewSetup).voteRule,
  );
  // Stored ballots are one per member (a unique index) of this committee: a problem here is a bug.
  if (!counted.ok) throw new Error(`stored ballots refused: ${counted.problems.map((p) => p.code).join(', ')}`);
  return counted.tally;
}

/** True when the round's vote can no longer pass: even if every member still to vote voted for, the rule's count is not reached. */
export function voteLost(tally: VoteTally): boolean {
  return !tally.passed && tally.for + tally.absent < tally.forNeeded;
}
