/**
 * Reward money of a craftsman selection: what each named craftsman (or nomination award winner)
 * is due, and what has been paid, per selection and per budget year. Pure; amounts in yuan,
 * kept to the fen (0.01) so sums of payments never drift.
 */

export type TitleReward = { kind: 'one_off'; yuan: number } | { kind: 'monthly'; yuan: number; months: number } | { kind: 'none' };

/** What a recipient is due: the title's reward, or the nomination award (提名奖). */
export function amountDue(award: 'title' | 'nomination_award', reward: TitleReward, nominationAwardYuan: number | null): number {
  if (award === 'nomination_award') return nominationAwardYuan ?? 0;
  switch (reward.kind) {
    case 'one_off':
      return reward.yuan;
    case 'monthly':
      return toFen(reward.yuan * reward.months);
    case 'none':
      return 0;
  }
}

export const toFen = (yuan: number) => Math.round(yuan * 100) / 100;

export type Recipient = { candidateId: number; due: number };
export type Payment = { candidateId: number; amountYuan: number; budgetYear: number };

export type RewardTotals = {
  due: number;
  paid: number;
  outstanding: number;
  byRecipient: { candidateId: number; due: number; paid: number; outstanding: number }[];
  byBudgetYear: { budgetYear: number; paid: number; payments: number }[];
};

export function rewardTotals(recipients: readonly Recipient[], payments: readonly Payment[]): RewardTotals {
  const paidBy = new Map<number, number>();
  const years = new Map<number, { paid: number; payments: number }>();
  for (const p of payments) {
    paidBy.set(p.candidateId, toFen((paidBy.get(p.candidateId) ?? 0) + p.amountYuan));
    const y = years.get(p.budgetYear) ?? { paid: 0, payments: 0 };
    years.set(p.budgetYear, { paid: toFen(y.paid + p.amountYuan), payments: y.payments + 1 });
  }
  const byRecipient = recipients.map((r) => {
    const paid = paidBy.get(r.candidateId) ?? 0;
    return { candidateId: r.candidateId, due: r.due, paid, outstanding: toFen(Math.max(0, r.due - paid)) };
  });
  const sum = (xs: number[]) => toFen(xs.reduce((a, b) => a + b, 0));
  return {
    due: sum(byRecipient.map((r) => r.due)),
    paid: sum(byRecipient.map((r) => r.paid)),
    outstanding: sum(byRecipient.map((r) => r.outstanding)),
    byRecipient,
    byBudgetYear: [...years].sort(([a], [b]) => a - b).map(([budgetYear, y]) => ({ budgetYear, ...y })),
  };
}

/** Refusal of a payment that would take the recipient past what they are due; null when it fits. */
export function overpayment(due: number, paidSoFar: number, amount: number): { outstanding: number } | null {
  const outstanding = toFen(due - paidSoFar);
  return toFen(paidSoFar + amount) > due ? { outstanding: Math.max(0, outstanding) } : null;
}
