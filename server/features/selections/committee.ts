import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { craftsmanCommittee, craftsmanSelections, craftsmanVotes } from '../../../db/schema.ts';
import { reviewSetupSchema } from '../../contracts/selections.ts';
import { tallyVote, type VoteTally } from '../../domain/review/index.ts';
import type { Tx } from '../audit/audit.service.ts';

/**
 * The review committee's members and ballots, and their count under the selection's majority
 * rule. Kept apart from both services so the publicity gate (selections.service.ts) and the
 * committee's own routes (selection-review.service.ts) count the same way without importing
 * each other.
 */

export type CommitteeMemberRow = typeof craftsmanCommittee.$inferSelect;
export type VoteRow = typeof craftsmanVotes.$inferSelect;

export function committeeOf(db: Db | Tx, selectionId: number): { members: CommitteeMemberRow[]; votes: VoteRow[] } {
  return {
    members: db.select().from(craftsmanCommittee).where(eq(craftsmanCommittee.selectionId, selectionId)).orderBy(asc(craftsmanCommittee.id)).all(),
    votes: db.select().from(craftsmanVotes).where(eq(craftsmanVotes.selectionId, selectionId)).orderBy(asc(craftsmanVotes.id)).all(),
  };
}

/** The count of the vote on the proposed list; null when the selection has no committee (or no review setup, which holds the rule). */
export function committeeTally(db: Db | Tx, sel: typeof craftsmanSelections.$inferSelect): VoteTally | null {
  if (!sel.reviewSetup) return null;
  const { members, votes } = committeeOf(db, sel.id);
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
