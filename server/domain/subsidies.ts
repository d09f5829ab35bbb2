/**
 * Training subsidies on certification: what one certificate is due under an HR bureau's rates,
 * and the totals of a list. Pure. Sums are taken in fen (integer hundredths) so that thousands of
 * 1,500.5-yuan amounts add up exactly.
 */
import type { SubsidyRates } from '../contracts/subsidies.ts';
import { skillLevelLabel } from './skill-levels.ts';

/** Yuan due for a certificate of `level` obtained by `basis`; 0 without rates, for another level or basis. */
export function subsidyDue(cert: { level: number; basis: string }, rates: SubsidyRates | null): number {
  if (!rates || !(rates.bases as string[]).includes(cert.basis)) return 0;
  return rates.rates.find((r) => r.level === cert.level)?.amountYuan ?? 0;
}

/** Count and amount overall and per level (highest level first, levels with nothing left out). */
export function subsidyTotals(rows: readonly { level: number; amountYuan: number }[]) {
  const perLevel = new Map<number, { count: number; fen: number }>();
  let fen = 0;
  for (const r of rows) {
    const f = Math.round(r.amountYuan * 100);
    fen += f;
    const t = perLevel.get(r.level) ?? { count: 0, fen: 0 };
    t.count++;
    t.fen += f;
    perLevel.set(r.level, t);
  }
  return {
    count: rows.length,
    amountYuan: fen / 100,
    byLevel: [...perLevel.entries()]
      .sort(([a], [b]) => a - b)
      .map(([level, t]) => ({ level, levelLabel: skillLevelLabel(level), count: t.count, amountYuan: t.fen / 100 })),
  };
}
