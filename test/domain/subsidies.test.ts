import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FEIXI_SUBSIDY_RATES } from '../../server/contracts/subsidies.ts';
import { subsidyDue, subsidyTotals } from '../../server/domain/subsidies.ts';

describe('training subsidies on certification', () => {
  it('pays Feixi’s amounts per level: 1,500 for 四级/中级工, 2,000 for 三级/高级工, nothing for other levels', () => {
    expect([1, 2, 3, 4, 5].map((level) => subsidyDue({ level, basis: 'exam' }, FEIXI_SUBSIDY_RATES))).toEqual([0, 0, 2000, 1500, 0]);
  });

  it('pays only for the qualifying ways of certification, and nothing without rates', () => {
    expect(subsidyDue({ level: 3, basis: 'competition_promotion' }, FEIXI_SUBSIDY_RATES)).toBe(2000);
    expect(subsidyDue({ level: 3, basis: 'transfer' }, FEIXI_SUBSIDY_RATES)).toBe(0);
    expect(subsidyDue({ level: 3, basis: 'exam' }, null)).toBe(0);
    expect(subsidyDue({ level: 3, basis: 'exam' }, { rates: [{ level: 3, amountYuan: 800 }], bases: ['exam'] })).toBe(800);
  });

  it('totals per level, highest level first', () => {
    const totals = subsidyTotals([
      { level: 4, amountYuan: 1500 },
      { level: 3, amountYuan: 2000 },
      { level: 4, amountYuan: 1500 },
    ]);
    expect(totals).toEqual({
      count: 3,
      amountYuan: 5000,
      byLevel: [
        { level: 3, levelLabel: '三级/高级工', count: 1, amountYuan: 2000 },
        { level: 4, levelLabel: '四级/中级工', count: 2, amountYuan: 3000 },
      ],
    });
  });

  it('adds amounts in fen, exactly, however many there are', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ level: fc.integer({ min: 1, max: 5 }), fen: fc.integer({ min: 0, max: 500_000 }) }), { maxLength: 300 }), (rows) => {
        const totals = subsidyTotals(rows.map((r) => ({ level: r.level, amountYuan: r.fen / 100 })));
        const fen = rows.reduce((sum, r) => sum + r.fen, 0);
        expect(Math.round(totals.amountYuan * 100)).toBe(fen);
        expect(totals.amountYuan).toBe(fen / 100);
        expect(totals.byLevel.reduce((n, l) => n + l.count, 0)).toBe(rows.length);
      }),
    );
  });
});
