/**
 * Property tests of the issue-13 scheme options (server/domain/scoring.ts, "Element parts …"):
 * base values, grade tables, factors, criterion minima, void elements, penalty parts, rounding
 * point and mode, trimmed means with any k, part tie-breaks. The first property pins the promise
 * that matters most: a scheme using none of them scores exactly as the engine did before them
 * (test/domain/reference/scoring-v1.ts is that engine, frozen).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { aggregateMarks, carriedTotal, computeRanking, roundHalfUp, scoreEntry } from '../../server/domain/index.ts';
import { truncate } from '../../server/domain/rounding.ts';
import type { EntryInput, MarkInput } from '../../server/domain/index.ts';
import type { Aggregation, Scheme, SchemeInput, TieBreak } from '../../server/contracts/scheme.ts';
import { schemeSchema } from '../../server/contracts/scheme.ts';
import { computeRanking as computeRankingV1 } from './reference/scoring-v1.ts';
import { scheme } from './helpers.ts';

const RUNS = { numRuns: 300 };

// ---------------------------------------------------------------------------------------
// Random events as the properties test builds them, plus per-criterion panels, objective values
// given or not, and panel expectations: everything the engine had before issue 13.

type Marking = 'objective' | 'rubric' | 'deduction';

const aggregationArb: fc.Arbitrary<Aggregation> = fc.oneof(
  fc.constant<Aggregation>({ kind: 'mean' }),
  fc.constant<Aggregation>({ kind: 'median' }),
  fc.integer({ min: 0, max: 2 }).map((drop): Aggregation => ({ kind: 'trimmed_mean', drop })),
  fc.integer({ min: 0, max: 2 }).map((drop): Aggregation => ({ kind: 'trimmed_sum', drop })),
);

const partArb = fc.record({
  marking: fc.constantFrom<Marking>('objective', 'rubric', 'deduction'),
  criteria: fc.integer({ min: 1, max: 3 }),
  aggregation: aggregationArb,
  role: fc.constantFrom('theory' as const, 'practical' as const, 'other' as const),
  usesDifficulty: fc.boolean(),
  multiplier: fc.constantFrom(1, 0.6, 1.5),
  minMarks: fc.integer({ min: 1, max: 3 }),
  panelByCriterion: fc.boolean(),
});
type PartSpec = typeof partArb extends fc.Arbitrary<infer T> ? T : never;

const WEIGHTS: Record<number, number[]> = { 1: [100], 2: [30, 70], 3: [20, 30, 50] };

function schemeInput(parts: PartSpec[], judges: number, totaling: 'weighted' | 'raw', tieBreaks: TieBreak[]): SchemeInput {
  return {
    totaling,
    tieBreaks,
    parts: parts.map((p, i) => {
      const n = p.marking === 'objective' ? 1 : p.criteria;
      return {
        id: `p${i}`,
        name: `part ${i}`,
        role: p.role,
        weight: WEIGHTS[parts.length]![i]!,
        max: 10 * n,
        marking: p.marking,
        criteria: p.marking === 'objective' ? [] : Array.from({ length: p.criteria }, (_, c) => ({ id: `c${c}`, name: `c${c}`, max: 10 })),
        aggregation: p.aggregation,
        expectedMarks: judges,
        minMarks: Math.min(p.minMarks, judges),
        usesDifficulty: p.usesDifficulty,
        multiplier: p.multiplier,
        ...(p.panelByCriterion && p.marking !== 'objective' ? { panel: 'criterion' as const } : {}),
      };
    }),
  };
}

interface Ev {
  input: SchemeInput;
  scheme: Scheme;
  entries: EntryInput[];
  marks: MarkInput[];
}

function criterionIds(s: Scheme, partId: string): string[] {
  const part = s.parts.find((p) => p.id === partId)!;
  return part.marking === 'objective' ? [part.id] : part.criteria.map((c) => c.id);
}

const eventArb: fc.Arbitrary<Ev> = fc
  .record({
    parts: fc.array(partArb, { minLength: 1, maxLength: 3 }),
    judges: fc.integer({ min: 1, max: 6 }),
    entries: fc.integer({ min: 1, max: 6 }),
    totaling: fc.constantFrom('weighted' as const, 'raw' as const),
    tieBreaks: fc.shuffledSubarray<TieBreak>(['completion_time', 'practical', 'theory']),
    objectiveGiven: fc.boolean(),
  })
  .chain((spec) => {
    const input = schemeInput(spec.parts, spec.judges, spec.totaling, spec.tieBreaks);
    const sch = scheme(input);
    const slots: { entryId: number; judgeId: number; partId: string; criterionId: string }[] = [];
    for (let e = 1; e <= spec.entries; e++)
      for (let j = 1; j <= spec.judges; j++)
        for (const part of sch.parts) for (const criterionId of criterionIds(sch, part.id)) slots.push({ entryId: e, judgeId: j, partId: part.id, criterionId });
    return fc
      .record({
        values: fc.array(fc.integer({ min: 0, max: 20 }), { minLength: slots.length, maxLength: slots.length }),
        present: fc.array(fc.integer({ min: 0, max: 9 }).map((x) => x > 0), { minLength: slots.length, maxLength: slots.length }),
        status: fc.array(fc.constantFrom<EntryInput['status']>('checked_in', 'checked_in', 'registered', 'absent', 'withdrawn'), { minLength: spec.entries, maxLength: spec.entries }),
        difficulty: fc.array(fc.constantFrom(1, 1.2, 2.5, 3.3), { minLength: spec.entries, maxLength: spec.entries }),
        objective: fc.array(fc.option(fc.integer({ min: 0, max: 1000 }).map((x) => x / 100), { nil: null }), { minLength: spec.entries, maxLength: spec.entries }),
        recused: fc.array(fc.integer({ min: 0, max: 1 }), { minLength: spec.entries, maxLength: spec.entries }),
        carried: fc.array(fc.integer({ min: 0, max: 5000 }).map((x) => x / 100), { minLength: spec.entries, maxLength: spec.entries }),
      })
      .map(({ values, present, status, difficulty, objective, recused, carried }): Ev => ({
        input,
        scheme: sch,
        entries: status.map((s, i) => ({
          entryId: i + 1,
          status: s,
          completionSeconds: 300 + ((i * 7) % 4),
          difficulty: Object.fromEntries(sch.parts.map((p) => [p.id, difficulty[i]!])),
          carried: carried[i],
          ...(spec.objectiveGiven ? { objective: Object.fromEntries(sch.parts.filter((p) => p.marking === 'objective').map((p) => [p.id, objective[i]])) } : {}),
          // Some entries have a judge standing aside: the panels expect one mark fewer.
          panels: Object.fromEntries(
            sch.parts.flatMap((p) =>
              (p.panel === 'criterion' ? p.criteria.map((c) => `${p.id}:${c.id}`) : [p.id]).map((key) => [key, { size: spec.judges, expected: Math.max(0, spec.judges - recused[i]!) }]),
            ),
          ),
        })),
        marks: slots.flatMap((slot, i) => (present[i] ? [{ ...slot, value: values[i]! / 2 }] : [])),
      }));
  });

/** The scheme with the issue-13 options spelled out at their defaults: must score like the scheme without them. */
function explicitDefaults(input: SchemeInput): Scheme {
  return scheme({
    ...input,
    rounding: { at: 'element', mode: 'half_up' },
    gradeTables: [],
    parts: input.parts.map((p) => ({
      ...p,
      kind: 'score' as const,
      ...(p.panel === 'criterion' ? {} : { aggregateBy: 'judge' as const }),
      usesBaseValues: false,
      criteria: (p.criteria ?? []).map((c) => ({ ...c, min: 0, factor: 1 })),
    })),
  });
}

describe('schemes without the new options', () => {
  it('score and rank exactly as the engine did before (frozen copy), entry by entry and figure by figure', () => {
    fc.assert(
      fc.property(eventArb, (ev) => {
        const now = computeRanking(ev.scheme, ev.entries, ev.marks);
        const before = computeRankingV1(ev.scheme, ev.entries, ev.marks);
        // toStrictEqual: not even an `elements: undefined` key may appear.
        expect(now).toStrictEqual(before);
      }),
      RUNS,
    );
  });

  it('with every new option written out at its default, nothing changes either', () => {
    fc.assert(
      fc.property(eventArb, (ev) => {
        const spelled = explicitDefaults(ev.input);
        expect(computeRanking(spelled, ev.entries, ev.marks)).toStrictEqual(computeRankingV1(ev.scheme, ev.entries, ev.marks));
      }),
      RUNS,
    );
  });

  it('stored schemes read back unchanged: parsing adds no new keys', () => {
    fc.assert(
      fc.property(eventArb, (ev) => {
        const json = JSON.stringify(ev.scheme);
        expect(Object.keys(ev.scheme)).not.toContain('rounding');
        expect(Object.keys(ev.scheme)).not.toContain('gradeTables');
        for (const part of ev.scheme.parts) {
          for (const key of ['kind', 'aggregateBy', 'usesBaseValues']) expect(Object.keys(part)).not.toContain(key);
          for (const c of part.criteria) for (const key of ['min', 'factor', 'gradeTable']) expect(Object.keys(c)).not.toContain(key);
        }
        expect(schemeSchema.parse(JSON.parse(json))).toStrictEqual(ev.scheme);
      }),
      { numRuns: 100 },
    );
  });
});

// ---------------------------------------------------------------------------------------
// Element parts: n elements marked by a panel of `judges`, grades −5 … +5, optional base values.

const elementEventArb = fc
  .record({
    elements: fc.integer({ min: 1, max: 6 }),
    judges: fc.integer({ min: 1, max: 9 }),
    drop: fc.integer({ min: 0, max: 3 }),
    bases: fc.array(fc.integer({ min: 0, max: 1500 }).map((x) => x / 100), { minLength: 6, maxLength: 6 }),
    factors: fc.array(fc.constantFrom(1, 1, 0.5, 1.5, 2), { minLength: 6, maxLength: 6 }),
  })
  .chain((spec) =>
    fc.record({
      spec: fc.constant(spec),
      grades: fc.array(fc.integer({ min: -5, max: 5 }), { minLength: spec.elements * spec.judges, maxLength: spec.elements * spec.judges }),
      present: fc.array(fc.integer({ min: 0, max: 5 }).map((x) => x > 0), { minLength: spec.elements * spec.judges, maxLength: spec.elements * spec.judges }),
      voids: fc.subarray(Array.from({ length: spec.elements }, (_, i) => `e${i}`)),
    }),
  );

function elementScheme(elements: number, judges: number, drop: number, opts: { bases?: boolean; factors?: number[]; at?: 'element' | 'part' | 'end'; mode?: 'half_up' | 'truncate'; table?: string }) {
  return scheme({
    totaling: 'raw',
    ...(opts.at || opts.mode ? { rounding: { at: opts.at ?? 'element', mode: opts.mode ?? 'half_up' } } : {}),
    ...(opts.table ? { gradeTables: [LINEAR_TABLE] } : {}),
    parts: [
      {
        id: 'tes',
        name: 'elements',
        role: 'practical',
        weight: 100,
        // Σ factor × max is the full mark of a part without base values; with them it is a free scale.
        max: opts.bases ? 100 : Array.from({ length: elements }, (_, i) => 5 * (opts.factors?.[i] ?? 1)).reduce((a, b) => a + b, 0),
        marking: 'rubric',
        aggregateBy: 'element',
        usesBaseValues: opts.bases ?? false,
        aggregation: { kind: 'trimmed_mean', drop },
        expectedMarks: judges,
        criteria: Array.from({ length: elements }, (_, i) => ({
          id: `e${i}`,
          name: `element ${i}`,
          min: -5,
          max: 5,
          step: 1,
          ...(opts.factors && opts.factors[i] !== 1 ? { factor: opts.factors[i] } : {}),
          ...(opts.table ? { gradeTable: opts.table } : {}),
        })),
      },
    ],
  });
}

/** Points = grade × 0.1 × base value for base values 0.00 … 15.00 in steps of 0.25 (a percentage Scale of Values). */
const LINEAR_TABLE = {
  id: 'sov',
  name: 'linear SOV',
  grades: [-5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5],
  rows: Array.from({ length: 61 }, (_, r) => ({ baseValue: r / 4, points: [-5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5].map((g) => (g * r) / 40) })),
};

function elementMarks(elements: number, judges: number, grades: number[], present: boolean[], map: (g: number, element: number) => number = (g) => g): MarkInput[] {
  const out: MarkInput[] = [];
  for (let e = 0; e < elements; e++)
    for (let j = 0; j < judges; j++) {
      const k = e * judges + j;
      if (present[k]) out.push({ entryId: 1, judgeId: j + 1, partId: 'tes', criterionId: `e${e}`, value: map(grades[k]!, e) });
    }
  return out;
}

describe('void elements', () => {
  it('score 0 and never leave the entry provisional: the part scores as if the element were not in the scheme', () => {
    fc.assert(
      fc.property(elementEventArb, ({ spec, grades, present, voids }) => {
        const sch = elementScheme(spec.elements, spec.judges, spec.drop, { factors: spec.factors });
        const marks = elementMarks(spec.elements, spec.judges, grades, present);
        const withVoids = scoreEntry(sch, { entryId: 1, status: 'checked_in', voids: { tes: voids } }, marks);
        // The same scheme without the voided elements, and without their marks.
        const kept = Array.from({ length: spec.elements }, (_, i) => i).filter((i) => !voids.includes(`e${i}`));
        const part = withVoids.parts[0]!;
        for (const v of voids) expect(part.elements!.find((e) => e.criterionId === v)).toMatchObject({ void: true, score: 0, complete: true, expected: 0 });
        if (kept.length === 0) {
          expect(part).toMatchObject({ aggregate: 0, score: 0, complete: true, marksIn: 0, expected: 0 });
          expect(withVoids.complete).toBe(true);
          return;
        }
        const reduced = scheme({
          ...sch,
          parts: [{ ...sch.parts[0]!, max: kept.reduce((m, i) => m + 5 * spec.factors[i]!, 0), criteria: kept.map((i) => sch.parts[0]!.criteria[i]!) }],
        });
        const without = scoreEntry(reduced, { entryId: 1, status: 'checked_in' }, marks.filter((m) => !voids.includes(m.criterionId)));
        expect(part.aggregate).toBe(without.parts[0]!.aggregate);
        expect(part.complete).toBe(without.parts[0]!.complete);
        expect(withVoids.total).toBe(without.total);
        // Every kept element fully marked: complete, whatever is missing on the void ones.
        const full = elementMarks(spec.elements, spec.judges, grades, present.map((p, k) => p || kept.includes(Math.floor(k / spec.judges))));
        expect(scoreEntry(sch, { entryId: 1, status: 'checked_in', voids: { tes: voids } }, full.filter((m) => !voids.includes(m.criterionId))).complete).toBe(true);
      }),
      RUNS,
    );
  });

  it('in a judge-aggregated part, a void criterion is left out of each judge’s mark and of what is expected', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 5 }), fc.integer({ min: 1, max: 7 }), fc.array(fc.integer({ min: 0, max: 10 }), { minLength: 35, maxLength: 35 }), (n, judges, values) => {
        const sch = scheme({
          totaling: 'raw',
          parts: [{ id: 'p', name: 'p', role: 'practical', weight: 100, max: 10 * n, marking: 'rubric', expectedMarks: judges, criteria: Array.from({ length: n }, (_, i) => ({ id: `c${i}`, name: `c${i}`, max: 10, step: 1 })) }],
        });
        // Every judge marks every criterion but the void one (c0).
        const marks: MarkInput[] = [];
        for (let j = 0; j < judges; j++) for (let c = 1; c < n; c++) marks.push({ entryId: 1, judgeId: j + 1, partId: 'p', criterionId: `c${c}`, value: values[(j * n + c) % 35]! });
        const score = scoreEntry(sch, { entryId: 1, status: 'checked_in', voids: { p: ['c0'] } }, marks);
        expect(score.complete).toBe(true);
        const sums = Array.from({ length: judges }, (_, j) => marks.filter((m) => m.judgeId === j + 1).reduce((s, m) => s + m.value, 0));
        expect(score.parts[0]!.judgeMarks.map((m) => m.mark)).toEqual(sums);
      }),
      RUNS,
    );
  });
});

describe('base values, factors and grade tables', () => {
  it('element score = base value + judged value: base values add exactly their sum to the part', () => {
    fc.assert(
      fc.property(elementEventArb, ({ spec, grades, present }) => {
        const marks = elementMarks(spec.elements, spec.judges, grades, present);
        const plain = scoreEntry(elementScheme(spec.elements, spec.judges, spec.drop, {}), { entryId: 1, status: 'checked_in' }, marks).parts[0]!;
        const baseValues = { tes: Object.fromEntries(Array.from({ length: spec.elements }, (_, i) => [`e${i}`, spec.bases[i]!])) };
        const based = scoreEntry(elementScheme(spec.elements, spec.judges, spec.drop, { bases: true }), { entryId: 1, status: 'checked_in', baseValues }, marks).parts[0]!;
        expect(based.complete).toBe(plain.complete);
        if (plain.aggregate === null) {
          expect(based.aggregate).toBeNull();
          return;
        }
        const sumBases = spec.bases.slice(0, spec.elements).reduce((s, b) => s + Math.round(b * 100), 0);
        expect(Math.round(based.aggregate! * 100)).toBe(Math.round(plain.aggregate * 100) + sumBases);
        based.elements!.forEach((e, i) => expect(Math.round(e.score! * 100)).toBe(Math.round(e.baseValue! * 100) + Math.round(e.judged! * 100)));
        expect(based.elements!.map((e) => e.baseValue)).toEqual(spec.bases.slice(0, spec.elements));
      }),
      RUNS,
    );
  });

  it('an element without its base value is not scored yet and keeps the entry incomplete', () => {
    const sch = elementScheme(2, 3, 1, { bases: true });
    const marks = elementMarks(2, 3, [1, 2, 3, 0, 0, 0], [true, true, true, true, true, true]);
    const score = scoreEntry(sch, { entryId: 1, status: 'checked_in', baseValues: { tes: { e0: 3.3 } } }, marks);
    expect(score.parts[0]).toMatchObject({ aggregate: null, score: null, complete: false });
    expect(score.parts[0]!.elements![1]).toMatchObject({ baseValue: null, judged: null, complete: false, marksIn: 3 });
  });

  it('a grade table turns grades into points: grades marked = the points marked directly', () => {
    fc.assert(
      fc.property(elementEventArb, ({ spec, grades, present }) => {
        const bases = spec.bases.map((b) => Math.round(b * 4) / 4); // rows exist for quarters
        const baseValues = { tes: Object.fromEntries(Array.from({ length: spec.elements }, (_, i) => [`e${i}`, bases[i]!])) };
        const entry: EntryInput = { entryId: 1, status: 'checked_in', baseValues };
        const graded = scoreEntry(elementScheme(spec.elements, spec.judges, spec.drop, { bases: true, table: 'sov' }), entry, elementMarks(spec.elements, spec.judges, grades, present));
        // The points each grade stands for, entered as if judges had marked points.
        const points = elementMarks(spec.elements, spec.judges, grades, present, (g, e) => LINEAR_TABLE.rows[Math.round(bases[e]! * 4)]!.points[g + 5]!);
        const direct = scoreEntry(elementScheme(spec.elements, spec.judges, spec.drop, { bases: true }), entry, points);
        expect(graded.parts[0]!.aggregate).toBe(direct.parts[0]!.aggregate);
        expect(graded.total).toBe(direct.total);
        expect(graded.ignoredMarks).toBe(0);
      }),
      RUNS,
    );
  });

  it('a base value the table has no row for leaves the element unscored', () => {
    const sch = elementScheme(1, 3, 0, { bases: true, table: 'sov' });
    const marks = elementMarks(1, 3, [1, 1, 1], [true, true, true]);
    expect(scoreEntry(sch, { entryId: 1, status: 'checked_in', baseValues: { tes: { e0: 3.3 } } }, marks).parts[0]).toMatchObject({ aggregate: null, complete: false });
    expect(scoreEntry(sch, { entryId: 1, status: 'checked_in', baseValues: { tes: { e0: 3.25 } } }, marks).parts[0]!.aggregate).toBe(3.58); // 3.25 + 0.325 → 0.33
  });

  it('a factor multiplies the rounded panel value and is rounded again (element rounding)', () => {
    fc.assert(
      fc.property(elementEventArb, ({ spec, grades, present }) => {
        const marks = elementMarks(spec.elements, spec.judges, grades, present);
        const plain = scoreEntry(elementScheme(spec.elements, spec.judges, spec.drop, {}), { entryId: 1, status: 'checked_in' }, marks).parts[0]!;
        const factored = scoreEntry(elementScheme(spec.elements, spec.judges, spec.drop, { factors: spec.factors }), { entryId: 1, status: 'checked_in' }, marks).parts[0]!;
        plain.elements!.forEach((e, i) => {
          const f = factored.elements![i]!;
          if (e.judged === null) {
            expect(f.judged).toBeNull();
            return;
          }
          expect(f.judged).toBe(roundHalfUp(e.judged * spec.factors[i]!, 2));
        });
      }),
      RUNS,
    );
  });
});

describe('rounding point and mode', () => {
  it('truncation never gives more than half-up for x ≥ 0, and is within a hundredth below x', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 1, max: 9999 }), (a, b) => {
        const x = a / b;
        const t = truncate(x, 2);
        expect(t).toBeLessThanOrEqual(roundHalfUp(x, 2));
        expect(Math.abs(truncate(-x, 2))).toBeLessThanOrEqual(Math.abs(roundHalfUp(-x, 2)));
        expect(x - t).toBeGreaterThan(-1e-9);
        expect(x - t).toBeLessThan(0.01 + 1e-9);
        expect(truncate(-x, 2)).toBe(t === 0 ? 0 : -t);
      }),
      { numRuns: 2000 },
    );
    // Decimals that binary floats store a hair below themselves are not cut a hundredth short.
    expect([0.29, 1.13, 4.35, 8.2, 100.01].map((x) => truncate(x, 2))).toEqual([0.29, 1.13, 4.35, 8.2, 100.01]);
  });

  it('a truncating scheme never totals more than the same scheme rounding half-up (non-negative marks)', () => {
    fc.assert(
      // Not for deduction marking: a truncated deduction is smaller, so its part comes out higher.
      fc.property(eventArb.filter((ev) => ev.scheme.parts.every((p) => p.marking !== 'deduction')), fc.constantFrom<'element' | 'part' | 'end'>('element', 'part', 'end'), (ev, at) => {
        const half = scheme({ ...ev.input, rounding: { at, mode: 'half_up' } });
        const trunc = scheme({ ...ev.input, rounding: { at, mode: 'truncate' } });
        const a = computeRanking(half, ev.entries, ev.marks);
        const b = computeRanking(trunc, ev.entries, ev.marks);
        for (const row of b) expect(row.total).toBeLessThanOrEqual(a.find((r) => r.entryId === row.entryId)!.total);
      }),
      RUNS,
    );
  });

  it('rounding at the end adds the unrounded element values: −5/3 + 2/3 + 2 × 1 + 0.5 × (−1.25) = 0.375 is 0.38, not 0.37', () => {
    // Found by the property below: each element read at 15 digits (−1.66666666666667, 0.666666666666667)
    // added up to 0.374999999999997, which rounded down.
    const grades = [-1, 0, -4, 0, -1, 0, 3, 0, 2, -1, 2, 0, 0, -2, -3, 0];
    const present = [true, true, true, false, true, false, true, true, true, true, true, false, true, true, true, true];
    const sch = elementScheme(4, 4, 0, { factors: [1, 1, 2, 0.5], at: 'end' });
    const score = scoreEntry(sch, { entryId: 1, status: 'checked_in' }, elementMarks(4, 4, grades, present));
    expect(score.total).toBe(0.38);
    expect(score.parts[0]!.aggregate).toBe(0.375);
  });

  it('rounding at the end rounds the exact sum once: within half a hundredth of the exact total', () => {
    fc.assert(
      fc.property(elementEventArb, ({ spec, grades, present }) => {
        const marks = elementMarks(spec.elements, spec.judges, grades, present);
        const endScore = scoreEntry(elementScheme(spec.elements, spec.judges, spec.drop, { factors: spec.factors, at: 'end' }), { entryId: 1, status: 'checked_in' }, marks);
        const part = endScore.parts[0]!;
        if (part.aggregate === null) return;
        // The exact total is the sum of each element's exact panel value × factor.
        let exact = 0;
        for (let e = 0; e < spec.elements; e++) {
          const list = marks.filter((m) => m.criterionId === `e${e}`).map((m) => m.value);
          exact += aggregateMarks(list, { kind: 'trimmed_mean', drop: spec.drop }, { panelSize: spec.judges }).value! * spec.factors[e]!;
        }
        expect(endScore.total).toBe(roundHalfUp(exact, 2));
        expect(Math.abs(endScore.total - exact)).toBeLessThanOrEqual(0.005 + 1e-9);
      }),
      RUNS,
    );
  });
});

describe('trimmed means with any k over panels of up to 15', () => {
  it('drop k of each end: the result lies within the kept marks and no fallback from 2k+1 marks on', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 7 }).chain((k) =>
          fc.record({ k: fc.constant(k), marks: fc.array(fc.integer({ min: -50, max: 200 }).map((x) => x / 4), { minLength: 2 * k + 1, maxLength: 15 }) }),
        ),
        ({ k, marks }) => {
          const outcome = aggregateMarks(marks, { kind: 'trimmed_mean', drop: k });
          const sorted = [...marks].sort((a, b) => a - b);
          const kept = sorted.slice(k, sorted.length - k);
          expect(outcome.fellBack).toBe(false);
          expect(outcome.counted).toBe(kept.length);
          expect(outcome.value!).toBeGreaterThanOrEqual(kept[0]! - 1e-9);
          expect(outcome.value!).toBeLessThanOrEqual(kept[kept.length - 1]! + 1e-9);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('the contract accepts drop 7 with 15 judges and refuses drop 8', () => {
    const part = { id: 'p', name: 'p', role: 'practical' as const, weight: 100, max: 10, marking: 'rubric' as const, expectedMarks: 15, criteria: [{ id: 'c', name: 'c', max: 10 }] };
    expect(schemeSchema.safeParse({ parts: [{ ...part, aggregation: { kind: 'trimmed_mean', drop: 7 } }] }).success).toBe(true);
    const refused = schemeSchema.safeParse({ parts: [{ ...part, aggregation: { kind: 'trimmed_mean', drop: 8 } }] });
    expect(refused.success).toBe(false);
    expect(refused.error!.issues[0]!.path).toEqual(['parts', 0, 'aggregation', 'drop']);
  });
});

describe('penalty parts', () => {
  it('lower the total by exactly their value, unweighted, and never make an entry provisional when empty', () => {
    fc.assert(
      fc.property(eventArb, fc.array(fc.option(fc.integer({ min: 0, max: 300 }).map((x) => x / 100), { nil: null }), { minLength: 6, maxLength: 6 }), (ev, penalties) => {
        const withPenalty = scheme({
          ...ev.input,
          parts: [...ev.input.parts, { id: 'nd', name: '中性扣分', role: 'other', weight: 0, max: 10, marking: 'objective', kind: 'penalty', aggregation: { kind: 'mean' } }],
        });
        const entries = ev.entries.map((e, i) => ({ ...e, objective: { ...(e.objective ?? {}), nd: penalties[i] } }));
        const base = computeRanking(ev.scheme, entries, ev.marks);
        const pen = computeRanking(withPenalty, entries, ev.marks);
        for (const row of pen) {
          const before = base.find((r) => r.entryId === row.entryId)!;
          const p = penalties[row.entryId - 1] ?? 0;
          expect(Math.round(row.score.roundTotal * 100)).toBe(Math.round(before.score.roundTotal * 100) - Math.round(p * 100));
          expect(row.score.parts.at(-1)!.contribution).toBe(p === 0 ? 0 : -p);
          expect(row.score.complete).toBe(before.score.complete);
        }
      }),
      RUNS,
    );
  });

  it('the contract wants a penalty’s weight to be 0 and at least one part that is not a penalty', () => {
    const pen = { id: 'nd', name: 'nd', role: 'other' as const, max: 10, marking: 'objective' as const, kind: 'penalty' as const };
    const main = { id: 'p', name: 'p', role: 'practical' as const, weight: 100, max: 10, marking: 'objective' as const };
    expect(schemeSchema.safeParse({ parts: [main, { ...pen, weight: 0 }] }).success).toBe(true);
    expect(schemeSchema.safeParse({ parts: [main, { ...pen, weight: 5 }] }).error!.issues.map((i) => i.path.join('.'))).toContain('parts.1.weight');
    expect(schemeSchema.safeParse({ totaling: 'raw', parts: [{ ...pen, weight: 0 }] }).error!.issues.map((i) => i.path.join('.'))).toContain('parts');
  });
});

describe('tie-break by a named part', () => {
  it('entries equal on total are ordered by that part’s column, higher first; equal there, they share', () => {
    fc.assert(
      fc.property(eventArb.filter((ev) => ev.scheme.parts.length >= 2), fc.nat(), (ev, pick) => {
        const named = ev.scheme.parts[pick % ev.scheme.parts.length]!.id;
        const sch = scheme({ ...ev.input, tieBreaks: [`part:${named}`] });
        const rows = computeRanking(sch, ev.entries, ev.marks).filter((r) => r.rank !== null);
        const column = (r: (typeof rows)[number]) => r.score.parts.find((p) => p.partId === named)!.contribution;
        for (let i = 1; i < rows.length; i++) {
          const [a, b] = [rows[i - 1]!, rows[i]!];
          if (a.total !== b.total || a.status === 'withdrawn' || b.status === 'withdrawn') continue;
          expect(column(a)).toBeGreaterThanOrEqual(column(b));
          if (column(a) > column(b)) expect(b.tieBrokenBy).toBe(`part:${named}`);
          else expect(b.rank).toBe(a.rank);
        }
      }),
      RUNS,
    );
  });

  it('the contract refuses a tie-break naming a part the scheme does not have', () => {
    const part = { id: 'p', name: 'p', role: 'practical' as const, weight: 100, max: 10, marking: 'objective' as const };
    const res = schemeSchema.safeParse({ parts: [part], tieBreaks: ['part:theory'] });
    expect(res.error!.issues.map((i) => i.path.join('.'))).toEqual(['tieBreaks.0']);
    expect(schemeSchema.safeParse({ parts: [part], tieBreaks: ['part:p', 'completion_time'] }).success).toBe(true);
  });
});

describe('carry-over', () => {
  it('previous is the last two rounds: this round plus the one before, whatever came earlier', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10_000 }).map((x) => x / 100), { minLength: 1, maxLength: 5 }), (earlier) => {
        expect(carriedTotal(earlier, 'previous')).toBe(earlier.at(-1));
        expect(carriedTotal(earlier, 'none')).toBe(0);
        expect(Math.round(carriedTotal(earlier, 'all') * 100)).toBe(earlier.reduce((s, t) => s + Math.round(t * 100), 0));
      }),
    );
  });
});
