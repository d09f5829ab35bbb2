import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { aggregate, aggregateMarks, computeRanking, rankEntries, roundHalfUp, scoreEntry } from '../../server/domain/index.ts';
import type { EntryInput, MarkInput, RankingRow } from '../../server/domain/index.ts';
import type { Aggregation, Scheme, TieBreak } from '../../server/contracts/scheme.ts';
import { scheme } from './helpers.ts';

// ---------------------------------------------------------------------------------------
// Random events: 1–3 parts of any marking kind and aggregation, 1–6 judges, 1–8 entries,
// marks on a 0.5 grid, some marks missing (partial judges, incomplete parts), a few absent or
// disqualified entries, optional completion times and difficulty coefficients.

type Marking = 'objective' | 'rubric' | 'deduction';

interface PartSpec {
  marking: Marking;
  criteria: number;
  aggregation: Aggregation;
  role: 'theory' | 'practical' | 'other';
  usesDifficulty: boolean;
  multiplier: number;
  minMarks: number;
}

interface EventSpec {
  scheme: Scheme;
  entries: EntryInput[];
  marks: MarkInput[];
  judges: number;
}

const aggregationArb: fc.Arbitrary<Aggregation> = fc.oneof(
  fc.constant<Aggregation>({ kind: 'mean' }),
  fc.constant<Aggregation>({ kind: 'median' }),
  fc.integer({ min: 0, max: 2 }).map((drop): Aggregation => ({ kind: 'trimmed_mean', drop })),
  fc.integer({ min: 0, max: 2 }).map((drop): Aggregation => ({ kind: 'trimmed_sum', drop })),
);

const partSpecArb = (markings: readonly Marking[]): fc.Arbitrary<PartSpec> =>
  fc.record({
    marking: fc.constantFrom(...markings),
    criteria: fc.integer({ min: 1, max: 3 }),
    aggregation: aggregationArb,
    role: fc.constantFrom('theory' as const, 'practical' as const, 'other' as const),
    usesDifficulty: fc.boolean(),
    multiplier: fc.constantFrom(1, 0.6, 1.5),
    minMarks: fc.integer({ min: 1, max: 3 }),
  });

const WEIGHTS: Record<number, number[]> = { 1: [100], 2: [30, 70], 3: [20, 30, 50] };

function buildScheme(parts: PartSpec[], judges: number, totaling: 'weighted' | 'raw', tieBreaks: TieBreak[]): Scheme {
  return scheme({
    totaling,
    tieBreaks,
    parts: parts.map((p, i) => {
      const criteriaCount = p.marking === 'objective' ? 1 : p.criteria;
      return {
        id: `p${i}`,
        name: `part ${i}`,
        role: p.role,
        weight: WEIGHTS[parts.length]![i]!,
        max: 10 * criteriaCount,
        marking: p.marking,
        criteria: p.marking === 'objective' ? [] : Array.from({ length: p.criteria }, (_, c) => ({ id: `c${c}`, name: `c${c}`, max: 10 })),
        aggregation: p.aggregation,
        expectedMarks: judges,
        minMarks: Math.min(p.minMarks, judges),
        usesDifficulty: p.usesDifficulty,
        multiplier: p.multiplier,
      };
    }),
  });
}

/** Every (entry, judge, part, criterion) slot of an event, in a fixed order. */
function slots(sch: Scheme, entries: number, judges: number) {
  const out: { entryId: number; judgeId: number; partId: string; criterionId: string }[] = [];
  for (let e = 1; e <= entries; e++)
    for (let j = 1; j <= judges; j++)
      for (const part of sch.parts) {
        const ids = part.marking === 'objective' ? [part.id] : part.criteria.map((c) => c.id);
        for (const criterionId of ids) out.push({ entryId: e, judgeId: j, partId: part.id, criterionId });
      }
  return out;
}

const eventArb = (markings: readonly Marking[] = ['objective', 'rubric', 'deduction']): fc.Arbitrary<EventSpec> =>
  fc
    .record({
      parts: fc.array(partSpecArb(markings), { minLength: 1, maxLength: 3 }),
      judges: fc.integer({ min: 1, max: 6 }),
      entries: fc.integer({ min: 1, max: 8 }),
      totaling: fc.constantFrom('weighted' as const, 'raw' as const),
      tieBreaks: fc.shuffledSubarray<TieBreak>(['completion_time', 'practical', 'theory']),
    })
    .chain((spec) => {
      const sch = buildScheme(spec.parts, spec.judges, spec.totaling, spec.tieBreaks);
      const all = slots(sch, spec.entries, spec.judges);
      return fc
        .record({
          // values on a 0.5 grid in 0..10, most present, some missing
          values: fc.array(fc.integer({ min: 0, max: 20 }), { minLength: all.length, maxLength: all.length }),
          present: fc.array(fc.integer({ min: 0, max: 9 }).map((x) => x > 0), { minLength: all.length, maxLength: all.length }),
          status: fc.array(fc.constantFrom('checked_in', 'checked_in', 'checked_in', 'registered', 'absent', 'disqualified') as fc.Arbitrary<EntryInput['status']>, {
            minLength: spec.entries,
            maxLength: spec.entries,
          }),
          time: fc.array(fc.option(fc.integer({ min: 300, max: 305 }), { nil: null }), { minLength: spec.entries, maxLength: spec.entries }),
          difficulty: fc.array(fc.constantFrom(1, 1.2, 2.5, 3.3), { minLength: spec.entries, maxLength: spec.entries }),
        })
        .map(({ values, present, status, time, difficulty }): EventSpec => ({
          scheme: sch,
          judges: spec.judges,
          entries: status.map((s, i) => ({
            entryId: i + 1,
            status: s,
            completionSeconds: time[i],
            difficulty: Object.fromEntries(sch.parts.map((p) => [p.id, difficulty[i]!])),
          })),
          marks: all.flatMap((slot, i) => (present[i] ? [{ ...slot, value: values[i]! / 2 }] : [])),
        }));
    });

/** A seeded Fisher–Yates shuffle (fast-check supplies the seed). */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** What a ranking says, leaving out which judge gave which mark. */
function outcome(rows: RankingRow[]) {
  return rows.map((r) => ({
    entryId: r.entryId,
    rank: r.rank,
    total: r.total,
    theory: r.theory,
    practical: r.practical,
    provisional: r.provisional,
    sharedRank: r.sharedRank,
    parts: r.score.parts.map((p) => ({
      aggregate: p.aggregate,
      score: p.score,
      contribution: p.contribution,
      fellBack: p.fellBack,
      marksIn: p.marksIn,
      complete: p.complete,
      partialJudges: p.partialJudges.length,
      marks: p.judgeMarks.map((j) => j.mark).sort((a, b) => a - b),
    })),
  }));
}

const RUNS = { numRuns: 300 };

describe('properties of the engine', () => {
  it('permuting judges (their ids and the order of marks) changes nothing', () => {
    fc.assert(
      fc.property(eventArb(), fc.integer(), fc.integer(), (ev, seedA, seedB) => {
        const before = computeRanking(ev.scheme, ev.entries, ev.marks);
        const ids = Array.from({ length: ev.judges }, (_, i) => i + 1);
        const relabel = new Map(ids.map((id, i) => [id, shuffled(ids, seedA)[i]! + 100]));
        const permuted = shuffled(ev.marks, seedB).map((m) => ({ ...m, judgeId: relabel.get(m.judgeId)! }));
        const after = computeRanking(ev.scheme, ev.entries, permuted);
        expect(outcome(after)).toEqual(outcome(before));
      }),
      RUNS,
    );
  });

  it('totals are reproducible: the same marks in another order give identical output', () => {
    fc.assert(
      fc.property(eventArb(), fc.integer(), (ev, seed) => {
        const a = computeRanking(ev.scheme, ev.entries, ev.marks);
        const b = computeRanking(ev.scheme, shuffled(ev.entries, seed), shuffled(ev.marks, seed + 1));
        expect(b).toEqual(a);
      }),
      RUNS,
    );
  });

  it('the incremental path (scoreEntry per entry + rankEntries) gives exactly what computeRanking gives', () => {
    fc.assert(
      fc.property(eventArb(), (ev) => {
        const scores = ev.entries.map((e) => scoreEntry(ev.scheme, e, ev.marks.filter((m) => m.entryId === e.entryId)));
        expect(rankEntries(ev.scheme, scores)).toEqual(computeRanking(ev.scheme, ev.entries, ev.marks));
      }),
      RUNS,
    );
  });

  it('rank never decreases down the ranking while totals never increase; unranked entries come last', () => {
    fc.assert(
      fc.property(eventArb(), (ev) => {
        const rows = computeRanking(ev.scheme, ev.entries, ev.marks);
        const ranked = rows.filter((r) => r.rank !== null);
        const unranked = rows.slice(ranked.length);
        expect(unranked.every((r) => r.rank === null && (r.status === 'absent' || r.status === 'disqualified'))).toBe(true);
        expect(unranked.map((r) => r.entryId)).toEqual([...unranked.map((r) => r.entryId)].sort((a, b) => a - b));
        ranked.forEach((row, i) => {
          expect(row.rank).toBeLessThanOrEqual(i + 1);
          const next = ranked[i + 1];
          if (!next) return;
          expect(row.total).toBeGreaterThanOrEqual(next.total);
          expect(row.rank!).toBeLessThanOrEqual(next.rank!);
          if (row.total > next.total) expect(next.rank).toBe(i + 2);
          if (row.rank === next.rank) expect(row.entryId).toBeLessThan(next.entryId);
        });
        if (ranked.length > 0) expect(ranked[0]!.rank).toBe(1);
      }),
      RUNS,
    );
  });

  it('raising one mark never lowers that entry’s rank (points-awarding parts)', () => {
    fc.assert(
      fc.property(
        eventArb(['objective', 'rubric']).filter((ev) => ev.marks.length > 0),
        fc.nat(),
        fc.integer({ min: 1, max: 10 }),
        (ev, pick, halfPoints) => {
          const index = pick % ev.marks.length;
          const target = ev.marks[index]!;
          const raised = ev.marks.map((m, i) => (i === index ? { ...m, value: m.value + halfPoints / 2 } : m));
          const rankOf = (marks: MarkInput[]) => computeRanking(ev.scheme, ev.entries, marks).find((r) => r.entryId === target.entryId)!;
          const before = rankOf(ev.marks);
          const after = rankOf(raised);
          expect(after.total).toBeGreaterThanOrEqual(before.total);
          if (before.rank !== null) expect(after.rank!).toBeLessThanOrEqual(before.rank);
        },
      ),
      RUNS,
    );
  });
});

describe('properties of the aggregation', () => {
  const marksArb = fc.array(fc.integer({ min: 0, max: 200 }).map((x) => x / 2), { minLength: 1, maxLength: 12 });

  it('the trimmed mean (and its fallback) lies between the lowest and the highest mark, also after rounding', () => {
    fc.assert(
      fc.property(marksArb, fc.integer({ min: 0, max: 5 }), (marks, drop) => {
        const value = aggregate(marks, { kind: 'trimmed_mean', drop })!;
        const lo = Math.min(...marks);
        const hi = Math.max(...marks);
        expect(value).toBeGreaterThanOrEqual(lo);
        expect(value).toBeLessThanOrEqual(hi);
        expect(roundHalfUp(value, 2)).toBeGreaterThanOrEqual(lo);
        expect(roundHalfUp(value, 2)).toBeLessThanOrEqual(hi);
      }),
      { numRuns: 1000 },
    );
  });

  it('the median lies between the lowest and the highest mark; the fallback flag matches 2k+1', () => {
    fc.assert(
      fc.property(marksArb, fc.integer({ min: 0, max: 5 }), (marks, drop) => {
        const median = aggregate(marks, { kind: 'median' })!;
        expect(median).toBeGreaterThanOrEqual(Math.min(...marks));
        expect(median).toBeLessThanOrEqual(Math.max(...marks));
        expect(aggregateMarks(marks, { kind: 'trimmed_mean', drop }).fellBack).toBe(marks.length < 2 * drop + 1);
        expect(aggregateMarks(marks, { kind: 'trimmed_sum', drop }).fellBack).toBe(marks.length < 2 * drop + 1);
      }),
      { numRuns: 1000 },
    );
  });
});
