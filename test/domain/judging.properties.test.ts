import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countingMarks, diffOfDiffsTest, spearman, standardiseTotals } from '../../server/domain/judging/index.ts';
import { panelExpectations, scoreEntry, type MarkInput, type PanelJudge } from '../../server/domain/index.ts';
import { scheme } from './helpers.ts';

// A whole-part rubric panel (trimmed mean) and a deduction part with a panel per criterion:
// both ways marks are aggregated.
const SCHEME = scheme({
  totaling: 'weighted',
  parts: [
    {
      id: 'task1',
      name: '实操',
      role: 'practical',
      weight: 60,
      max: 100,
      marking: 'rubric',
      criteria: [
        { id: 'a', name: 'A', max: 60, step: 0.5 },
        { id: 'b', name: 'B', max: 40, step: 0.5 },
      ],
      aggregation: { kind: 'trimmed_mean', drop: 1 },
      minMarks: 3,
      expectedMarks: 5,
    },
    {
      id: 'task2',
      name: '安全',
      role: 'practical',
      weight: 40,
      max: 20,
      marking: 'deduction',
      panel: 'criterion',
      criteria: [
        { id: 'x', name: 'X', max: 10, step: 0.5 },
        { id: 'y', name: 'Y', max: 10, step: 0.5 },
      ],
      aggregation: { kind: 'median' },
      minMarks: 1,
      expectedMarks: 2,
    },
  ],
});

const COUNTING = [1, 2, 3, 4, 5];
const TRAINEES = [101, 102];
const SLOTS = [
  ['task1', 'a', 60],
  ['task1', 'b', 40],
  ['task2', 'x', 10],
  ['task2', 'y', 10],
] as const;

const markArb = (judges: readonly number[]) =>
  fc.array(
    fc.record({
      entryId: fc.integer({ min: 1, max: 4 }),
      judgeId: fc.constantFrom(...judges),
      slot: fc.integer({ min: 0, max: SLOTS.length - 1 }),
      halfPoints: fc.integer({ min: 0, max: 120 }),
    }),
    { maxLength: 60 },
  ).map((list) =>
    list.map(({ entryId, judgeId, slot, halfPoints }): MarkInput => {
      const [partId, criterionId, max] = SLOTS[slot]!;
      return { entryId, judgeId, partId, criterionId, value: Math.min(max, halfPoints / 2) };
    }),
  );

describe('trainee judges never count', () => {
  it('adding or removing any trainee marks (and trainee seats) leaves every EntryScore identical', () => {
    fc.assert(
      fc.property(
        markArb(COUNTING),
        markArb(TRAINEES),
        fc.subarray(COUNTING, { minLength: 1 }),
        fc.subarray(TRAINEES),
        fc.boolean(),
        (counting, traineeMarks, seatedCounting, seatedTrainees, seated) => {
          const trainees = new Set(TRAINEES);
          const judges = new Map<number, PanelJudge>([
            ...COUNTING.map((id): [number, PanelJudge] => [id, { id, employer: { organisationId: null, name: null } }]),
            ...TRAINEES.map((id): [number, PanelJudge] => [id, { id, employer: { organisationId: null, name: null }, trainee: true }]),
          ]);
          const eventJudges = [...judges.values()];
          const withTrainees = new Map<string, number[]>(
            seated ? ['task1', 'task2:x', 'task2:y'].map((k) => [k, [...seatedCounting, ...seatedTrainees]]) : [],
          );
          const withoutTrainees = new Map<string, number[]>(seated ? ['task1', 'task2:x', 'task2:y'].map((k) => [k, [...seatedCounting]]) : []);
          const entrant = { organisationId: null, name: null };
          for (let entryId = 1; entryId <= 4; entryId++) {
            const entry = { entryId, status: 'checked_in' as const };
            const a = scoreEntry(
              SCHEME,
              { ...entry, panels: panelExpectations(SCHEME, withTrainees, eventJudges, judges, entrant) },
              countingMarks([...traineeMarks.slice(0, 30), ...counting, ...traineeMarks.slice(30)].filter((m) => m.entryId === entryId), trainees),
            );
            const b = scoreEntry(
              SCHEME,
              { ...entry, panels: panelExpectations(SCHEME, withoutTrainees, eventJudges.filter((j) => !j.trainee), judges, entrant) },
              counting.filter((m) => m.entryId === entryId),
            );
            expect(a).toEqual(b);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('standardised scores', () => {
  const totalsArb = fc
    .array(fc.integer({ min: 0, max: 10_000 }), { minLength: 2, maxLength: 40 })
    .map((hundredths) => hundredths.map((h) => h / 100))
    .filter((totals) => new Set(totals).size >= 2);

  it('have mean 500 and SD 100 (population) for two or more distinct totals, and keep the order', () => {
    fc.assert(
      fc.property(totalsArb, (totals) => {
        const std = standardiseTotals(totals.map((total, i) => ({ entryId: i + 1, total, counts: true })));
        const values = totals.map((_, i) => std.scores.get(i + 1)!);
        const mean = values.reduce((a, b) => a + b, 0) / values.length;
        const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
        expect(Math.abs(mean - 500)).toBeLessThan(1e-9);
        expect(Math.abs(sd - 100)).toBeLessThan(1e-9);
        for (let i = 0; i < totals.length; i++)
          for (let j = 0; j < totals.length; j++) {
            if (totals[i]! < totals[j]!) expect(values[i]!).toBeLessThan(values[j]!);
            if (totals[i] === totals[j]) expect(values[i]).toBe(values[j]);
          }
      }),
      { numRuns: 300 },
    );
  });

  it('leave out entries that do not count, and place them nowhere', () => {
    fc.assert(
      fc.property(totalsArb, fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }), (totals, counts) => {
        const std = standardiseTotals(totals.map((total, i) => ({ entryId: i + 1, total, counts: counts[i]! })));
        for (let i = 0; i < totals.length; i++) expect(std.scores.has(i + 1)).toBe(counts[i]);
        expect(std.n).toBe(counts.slice(0, totals.length).filter(Boolean).length);
      }),
    );
  });
});

describe("Spearman's rank correlation", () => {
  const listArb = fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 2, maxLength: 30 }).filter((xs) => new Set(xs).size >= 2);

  it('is 1 for identically ordered lists (ties included) and −1 for exactly reversed ones', () => {
    fc.assert(
      fc.property(listArb, fc.integer({ min: 1, max: 5 }), (xs, scale) => {
        // A strictly increasing map keeps the order (and the ties); a strictly decreasing one reverses it.
        expect(spearman(xs, xs.map((x) => x * scale + 3))).toBeCloseTo(1, 12);
        expect(spearman(xs, xs.map((x) => 100 - x * scale))).toBeCloseTo(-1, 12);
      }),
    );
  });

  it('lies in [−1, 1] and is symmetric', () => {
    fc.assert(
      fc.property(listArb, fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 30, maxLength: 30 }), (xs, raw) => {
        const ys = raw.slice(0, xs.length);
        const r = spearman(xs, ys);
        if (r === null) return;
        expect(r).toBeGreaterThanOrEqual(-1);
        expect(r).toBeLessThanOrEqual(1);
        expect(spearman(ys, xs)).toBeCloseTo(r, 12);
      }),
    );
  });
});

describe('the permutation test of the home-group check', () => {
  const dataArb = fc
    .array(fc.record({ value: fc.integer({ min: -40, max: 40 }).map((h) => h / 2), own: fc.boolean() }), { minLength: 2, maxLength: 60 })
    .filter((d) => d.some((x) => x.own) && d.some((x) => !x.own));

  it('gives a p-value in (0, 1], the same for the same seed', () => {
    fc.assert(
      fc.property(dataArb, fc.integer({ min: 0, max: 2 ** 31 }), (data, seed) => {
        const values = data.map((d) => d.value);
        const own = data.map((d) => d.own);
        const a = diffOfDiffsTest(values, own, seed)!;
        const b = diffOfDiffsTest(values, own, seed)!;
        expect(a.pValue).toBeGreaterThan(0);
        expect(a.pValue).toBeLessThanOrEqual(1);
        expect(b).toEqual(a);
      }),
      { numRuns: 60 },
    );
  });
});
