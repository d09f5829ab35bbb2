import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { prizeRuleSchema, type PrizeRule } from '../../server/contracts/awards.ts';
import type { Advancement, Aggregation, Scheme, TieBreak } from '../../server/contracts/scheme.ts';
import { allocatePrizes } from '../../server/domain/awards/index.ts';
import { computeCertainty, entryBounds, type CertaintyEntry, type CertaintyTargets, type RoundCertainty } from '../../server/domain/certainty.ts';
import { computeRanking, scoreEntry, selectAdvancers, toHundredths } from '../../server/domain/index.ts';
import type { EntryInput, MarkInput } from '../../server/domain/index.ts';
import { scheme } from './helpers.ts';

// Tiny events on coarse grids, so that every completion of the missing marks can be enumerated and
// the engine asked what each one gives: the bounds and the states are checked against that.
// Criteria are worth 2 points in steps of 1 (0, 1, 2), deductions 1 in steps of 1 (0, 1), and an
// objective exam is out of 2 (enumerated on 0, 1, 2 of its 0.01 grid: the extremes are what
// matter, the middle one checks nothing falls outside).

type Spec = {
  scheme: Scheme;
  judges: number;
  entries: EntryInput[];
  /** Every mark of the finished event. */
  final: MarkInput[];
  /** Objective values of the finished event, by entry. */
  finalObjective: Map<number, Record<string, number>>;
  /** Completion times of the finished event (null: never entered). */
  finalTime: Map<number, number | null>;
};

const aggregationArb: fc.Arbitrary<Aggregation> = fc.oneof(
  fc.constant<Aggregation>({ kind: 'mean' }),
  fc.constant<Aggregation>({ kind: 'median' }),
  fc.integer({ min: 0, max: 1 }).map((drop): Aggregation => ({ kind: 'trimmed_mean', drop })),
  fc.integer({ min: 0, max: 1 }).map((drop): Aggregation => ({ kind: 'trimmed_sum', drop })),
);

const schemeArb = fc
  .record({
    judges: fc.integer({ min: 1, max: 3 }),
    rubricCriteria: fc.integer({ min: 1, max: 2 }),
    aggregation: aggregationArb,
    perCriterion: fc.boolean(),
    theory: fc.boolean(),
    deduction: fc.boolean(),
    totaling: fc.constantFrom('weighted' as const, 'raw' as const),
    tieBreaks: fc.shuffledSubarray<TieBreak>(['completion_time', 'practical', 'theory']),
    // The engine's newer options: grades below 0, criterion factors, elements aggregated on their
    // own, and a penalty (deductions entered by staff, subtracted from the total).
    negative: fc.boolean(),
    factor: fc.constantFrom(1, 1.5),
    element: fc.boolean(),
    penalty: fc.boolean(),
  })
  .map((s) => {
    const parts: Record<string, unknown>[] = [];
    const weights = s.theory && s.deduction ? [30, 50, 20] : s.theory ? [30, 70] : s.deduction ? [80, 20] : [100];
    let w = 0;
    if (s.theory) parts.push({ id: 'theory', name: '理论', role: 'theory', weight: weights[w++], max: 2, marking: 'objective' });
    parts.push({
      id: 'task',
      name: '实操',
      role: 'practical',
      weight: weights[w++],
      max: 2 * s.factor * s.rubricCriteria,
      marking: 'rubric',
      criteria: Array.from({ length: s.rubricCriteria }, (_, i) => ({
        id: `c${i}`,
        name: `c${i}`,
        max: 2,
        step: 1,
        ...(s.negative ? { min: -1 } : {}),
        ...(s.factor !== 1 ? { factor: s.factor } : {}),
      })),
      aggregation: s.aggregation,
      expectedMarks: s.judges,
      minMarks: 1,
      panel: s.perCriterion ? 'criterion' : 'part',
      ...(s.element && !s.perCriterion ? { aggregateBy: 'element' } : {}),
    });
    if (s.penalty) parts.push({ id: 'pen', name: '违规扣分', role: 'other', weight: 0, max: 1, marking: 'objective', kind: 'penalty' });
    if (s.deduction)
      parts.push({
        id: 'safety',
        name: '安全',
        role: 'other',
        weight: weights[w++],
        max: 1,
        marking: 'deduction',
        criteria: [{ id: 'd', name: 'd', max: 1, step: 1 }],
        aggregation: { kind: 'mean' },
        expectedMarks: s.judges,
      });
    return { scheme: scheme({ totaling: s.totaling, tieBreaks: s.tieBreaks, parts: parts as never }), judges: s.judges };
  });

/** Every (judge, part, criterion) slot an entry owes, in scheme order. */
function slotsOf(sch: Scheme, judges: number): { judgeId: number; partId: string; criterionId: string; min: number; max: number }[] {
  const out: { judgeId: number; partId: string; criterionId: string; min: number; max: number }[] = [];
  for (let j = 1; j <= judges; j++)
    for (const part of sch.parts) {
      if (part.marking === 'objective') continue;
      for (const c of part.criteria) out.push({ judgeId: j, partId: part.id, criterionId: c.id, min: c.min ?? 0, max: c.max });
    }
  return out;
}

const specArb = (minEntries: number, maxEntries: number): fc.Arbitrary<Spec> =>
  fc.record({ base: schemeArb, entries: fc.integer({ min: minEntries, max: maxEntries }) }).chain(({ base, entries }) => {
    const slots = slotsOf(base.scheme, base.judges);
    const entryArb = fc.record({
      values: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: slots.length, maxLength: slots.length }),
      theory: fc.integer({ min: 0, max: 2 }),
      penalty: fc.constantFrom(null, null, 0, 1),
      time: fc.option(fc.constantFrom(30, 60), { nil: null }),
      status: fc.constantFrom<EntryInput['status']>('checked_in', 'checked_in', 'checked_in', 'checked_in', 'withdrawn', 'absent'),
    });
    return fc.array(entryArb, { minLength: entries, maxLength: entries }).map((list): Spec => {
      const final: MarkInput[] = [];
      const finalObjective = new Map<number, Record<string, number>>();
      const finalTime = new Map<number, number | null>();
      const inputs = list.map((e, i): EntryInput => {
        const entryId = i + 1;
        // A withdrawn entry's marks are all in already (judges mark only the checked in); it left
        // with some marks never given (a 3 stands for "never marked").
        if (e.status !== 'absent')
          slots.forEach((s, k) => {
            if (e.status === 'withdrawn' && e.values[k] === 3) return;
            final.push({ entryId, judgeId: s.judgeId, partId: s.partId, criterionId: s.criterionId, value: Math.min(s.max, s.min + e.values[k]!) });
          });
        const objective: Record<string, number> = {};
        if (e.status !== 'absent' && base.scheme.parts.some((p) => p.id === 'theory')) objective.theory = e.theory;
        if (e.status !== 'absent' && base.scheme.parts.some((p) => p.id === 'pen') && e.penalty !== null) objective.pen = e.penalty;
        finalObjective.set(entryId, objective);
        finalTime.set(entryId, e.status === 'absent' ? null : e.time);
        return { entryId, status: e.status, objective: {} };
      });
      return { scheme: base.scheme, judges: base.judges, entries: inputs, final, finalObjective, finalTime };
    });
  });

/** The state of the event after `arrived` of its values (marks, objective values, times) in `order`. */
type Arrival = { kind: 'mark'; mark: MarkInput } | { kind: 'objective'; entryId: number; part: string; value: number } | { kind: 'time'; entryId: number; value: number };

/** What arrives while marking runs (a withdrawn entry's marks are in from the start: see {@link stateAfter}). */
function arrivals(spec: Spec): Arrival[] {
  const withdrawn = new Set(spec.entries.filter((e) => e.status === 'withdrawn').map((e) => e.entryId));
  const out: Arrival[] = spec.final.filter((m) => !withdrawn.has(m.entryId)).map((mark) => ({ kind: 'mark', mark }));
  for (const [entryId, values] of spec.finalObjective) for (const [part, value] of Object.entries(values)) out.push({ kind: 'objective', entryId, part, value });
  for (const [entryId, value] of spec.finalTime) if (value !== null) out.push({ kind: 'time', entryId, value });
  return out;
}

/** What the engine is given after some arrivals: each entry's input and marks. */
function stateAfter(spec: Spec, arrived: readonly Arrival[]): { inputs: EntryInput[]; marks: MarkInput[] } {
  const inputs = spec.entries.map((e) => ({ ...e, objective: {} as Record<string, number>, completionSeconds: null as number | null }));
  const byId = new Map(inputs.map((e) => [e.entryId, e]));
  const withdrawn = new Set(spec.entries.filter((e) => e.status === 'withdrawn').map((e) => e.entryId));
  const marks: MarkInput[] = spec.final.filter((m) => withdrawn.has(m.entryId));
  for (const a of arrived) {
    if (a.kind === 'mark') marks.push(a.mark);
    else if (a.kind === 'objective') byId.get(a.entryId)!.objective[a.part] = a.value;
    else byId.get(a.entryId)!.completionSeconds = a.value;
  }
  return { inputs, marks };
}

/** What can arrive for an entry: judges' marks for the checked in, values for all but the absent (the server's rule). */
const arrivingFor = (status: EntryInput['status']) => ({ marks: status === 'checked_in', objective: status !== 'absent' && status !== 'disqualified' });

function certaintyEntries(spec: Spec, inputs: EntryInput[], marks: MarkInput[]): CertaintyEntry[] {
  return inputs.map((input) => ({ input, marks: marks.filter((m) => m.entryId === input.entryId), arriving: arrivingFor(input.status) }));
}

/** The engine's outcome of a finished event: total, prize tier and advancement per entry. */
function outcome(sch: Scheme, inputs: EntryInput[], marks: MarkInput[], targets: CertaintyTargets) {
  const rows = computeRanking(sch, inputs, marks, { withdrawn: targets.withdrawn });
  const tiers = new Map<number, number>();
  if (targets.prizeRule) for (const a of allocatePrizes(rows, targets.prizeRule).awards) tiers.set(a.entryId, a.tier);
  const advanced = targets.advancement ? new Set(selectAdvancers(rows, targets.advancement).entryIds) : new Set<number>();
  return new Map(rows.map((r) => [r.entryId, { total: r.total, tier: tiers.get(r.entryId) ?? null, advances: advanced.has(r.entryId) }]));
}

/** Every completion of what is still missing, as lists of arrivals (the grid's values for each missing mark or value). */
function completions(spec: Spec, arrived: readonly Arrival[], limit: number): Arrival[][] | null {
  const { inputs, marks } = stateAfter(spec, arrived);
  const choices: Arrival[][] = [];
  const have = new Set(marks.map((m) => `${m.entryId}:${m.judgeId}:${m.partId}:${m.criterionId}`));
  for (const input of inputs) {
    const arriving = arrivingFor(input.status);
    if (arriving.marks)
      for (const s of slotsOf(spec.scheme, spec.judges)) {
        if (have.has(`${input.entryId}:${s.judgeId}:${s.partId}:${s.criterionId}`)) continue;
        choices.push(
          Array.from({ length: s.max - s.min + 1 }, (_, v) => ({ kind: 'mark', mark: { entryId: input.entryId, judgeId: s.judgeId, partId: s.partId, criterionId: s.criterionId, value: s.min + v } })),
        );
      }
    if (arriving.objective) {
      if (spec.scheme.parts.some((p) => p.id === 'theory') && input.objective?.theory === undefined)
        choices.push([0, 1, 2].map((value) => ({ kind: 'objective', entryId: input.entryId, part: 'theory', value })));
      // A penalty may be entered, or never (then it counts 0).
      if (spec.scheme.parts.some((p) => p.id === 'pen') && input.objective?.pen === undefined)
        choices.push([null, 0, 1].map((value) => ({ kind: 'objective', entryId: input.entryId, part: 'pen', value: value ?? Number.NaN })));
      if (spec.scheme.tieBreaks.includes('completion_time') && input.completionSeconds == null)
        choices.push([null, 0, 30, 60].map((value) => (value === null ? ({ kind: 'time', entryId: input.entryId, value: Number.NaN } as Arrival) : { kind: 'time', entryId: input.entryId, value })));
    }
  }
  let count = 1;
  for (const c of choices) if ((count *= c.length) > limit) return null;
  let out: Arrival[][] = [[]];
  for (const c of choices) out = out.flatMap((prefix) => c.map((a) => [...prefix, a]));
  // A time or a penalty that stays missing is "no arrival".
  return out.map((list) => list.filter((a) => !(a.kind !== 'mark' && Number.isNaN(a.value))));
}

const tiesArb = fc.constantFrom('include' as const, 'exclude' as const, 'expand' as const);
const ruleArb: fc.Arbitrary<PrizeRule> = fc
  .record({
    counts: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 3 }),
    ties: tiesArb,
    // Minimum scores (分数线) on some tiers, non-increasing as the contract asks.
    lines: fc.option(fc.array(fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }), { minLength: 3, maxLength: 3 }), { nil: null }),
    share: fc.boolean(),
  })
  .map(({ counts, ties, lines, share }) => {
    let line = Infinity;
    const tiers = counts.map((count, i) => {
      let minScore = lines?.[i];
      if (minScore !== undefined) minScore = line = Math.min(line, minScore);
      return share ? { label: `${i + 1}等奖`, percent: 10 + 10 * count, minScore } : { label: `${i + 1}等奖`, count, minScore };
    });
    return prizeRuleSchema.parse(share ? { basis: 'share', ties, tiers } : { basis: 'count', ties, tiers });
  });

const advancementArb: fc.Arbitrary<Advancement> = fc.oneof(
  fc.record({ rule: fc.record({ kind: fc.constant('top_n' as const), n: fc.integer({ min: 1, max: 3 }) }), tiesAtCut: fc.constantFrom('include' as const, 'exclude' as const) }),
  fc.record({ rule: fc.record({ kind: fc.constant('top_percent' as const), percent: fc.constantFrom(25, 50, 75) }), tiesAtCut: fc.constantFrom('include' as const, 'exclude' as const) }),
  fc.record({ rule: fc.record({ kind: fc.constant('min_score' as const), score: fc.integer({ min: 0, max: 100 }) }), tiesAtCut: fc.constant('include' as const) }),
);

const targetsArb: fc.Arbitrary<CertaintyTargets> = fc.record({
  prizeRule: ruleArb,
  advancement: advancementArb,
  withdrawn: fc.constantFrom('after_complete' as const, 'unranked' as const),
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

/** Numeric tier with "no prize" last, so that a better prize is a smaller number. */
const rankOfTier = (t: number | null) => t ?? Infinity;

describe('live certainty: properties', () => {
  it('bounds are exact: every completion lies within [min, max] and both ends are attained', () => {
    fc.assert(
      fc.property(specArb(1, 1), fc.integer({ min: 0, max: 1000 }), fc.integer(), (spec, cut, seed) => {
        const order = shuffled(arrivals(spec), seed);
        const arrived = order.slice(0, cut % (order.length + 1));
        const { inputs, marks } = stateAfter(spec, arrived);
        const [entry] = certaintyEntries(spec, inputs, marks);
        const b = entryBounds(spec.scheme, entry!);
        const all = completions(spec, arrived, 5000);
        if (!all) return;
        const totals = all.map((extra) => {
          const s = stateAfter(spec, [...arrived, ...extra]);
          return scoreEntry(spec.scheme, s.inputs[0]!, s.marks).total;
        });
        const lo = Math.min(...totals);
        const hi = Math.max(...totals);
        expect(b.min.total).toBe(lo);
        expect(b.max.total).toBe(hi);
        if (b.missing === 0 && !b.timeOpen && !spec.scheme.parts.some((p) => p.kind === 'penalty')) expect(b.min.total).toBe(b.max.total);
      }),
      { numRuns: 400 },
    );
  });

  it('as values arrive in any order: the final total stays within every earlier range, clinched is never lost, out of reach never reached', () => {
    fc.assert(
      fc.property(specArb(2, 5), targetsArb, fc.integer(), (spec, targets, seed) => {
        const order = shuffled(arrivals(spec), seed);
        const finalState = stateAfter(spec, order);
        const final = outcome(spec.scheme, finalState.inputs, finalState.marks, targets);
        // A few points along the way, and the end.
        const cuts = [0, Math.floor(order.length / 3), Math.floor((2 * order.length) / 3), order.length - 1, order.length];
        let previous: RoundCertainty | null = null;
        for (const cut of cuts) {
          const { inputs, marks } = stateAfter(spec, order.slice(0, cut));
          const c = computeCertainty(spec.scheme, certaintyEntries(spec, inputs, marks), targets);
          c.entries.forEach((e, i) => {
            const f = final.get(e.entryId)!;
            expect(e.min).toBeLessThanOrEqual(f.total);
            expect(e.max).toBeGreaterThanOrEqual(f.total);
            if (e.prize) {
              // Clinched tiers hold: the final prize is at least the guaranteed one.
              if (e.prize.guaranteed !== null) expect(rankOfTier(f.tier)).toBeLessThanOrEqual(e.prize.guaranteed);
              // Out of reach stays so: the final prize is no better than the best reachable.
              expect(rankOfTier(f.tier)).toBeGreaterThanOrEqual(rankOfTier(e.prize.best));
            }
            if (e.advancement === 'clinched') expect(f.advances).toBe(true);
            if (e.advancement === 'out_of_reach') expect(f.advances).toBe(false);
            // What was decided stays decided.
            const before = previous?.entries[i];
            if (before?.advancement && before.advancement !== 'open') expect(e.advancement).toBe(before.advancement);
            if (before?.prize?.guaranteed != null) expect(rankOfTier(e.prize!.guaranteed)).toBeLessThanOrEqual(before.prize.guaranteed);
            if (before?.prize) expect(rankOfTier(e.prize!.best)).toBeGreaterThanOrEqual(rankOfTier(before.prize.best));
          });
          previous = c;
        }
        // With every mark in: min = max = total (a penalty can still be entered while the round
        // is open, so with a penalty part only the top of the range has closed).
        const penalties = spec.scheme.parts.some((p) => p.kind === 'penalty');
        for (const e of previous!.entries) {
          const f = final.get(e.entryId)!;
          if (!penalties) expect(e.min).toBe(f.total);
          expect(e.max).toBe(f.total);
        }
        // And once nothing can arrive any more (a completion time never entered stays missing when
        // marking closes), every state is decided, and is the engine's.
        const closed = computeCertainty(
          spec.scheme,
          finalState.inputs.map((input) => ({ input, marks: finalState.marks.filter((m) => m.entryId === input.entryId), arriving: { marks: false, objective: false } })),
          targets,
        );
        for (const e of closed.entries) {
          const f = final.get(e.entryId)!;
          expect(e.settled).toBe(true);
          expect(e.min).toBe(f.total);
          expect(e.max).toBe(f.total);
          expect(e.prize).toEqual({ guaranteed: f.tier, best: f.tier, exact: true });
          expect(e.advancement).toBe(f.advances ? 'clinched' : 'out_of_reach');
        }
      }),
      { numRuns: 300 },
    );
  });

  it('states are exact against every completion (include / exclude without lines, advancement), sound and flagged otherwise', () => {
    fc.assert(
      fc.property(specArb(2, 4), targetsArb, fc.integer(), fc.integer({ min: 0, max: 1000 }), (spec, targets, seed, cut) => {
        const order = shuffled(arrivals(spec), seed);
        // Late in the marking, so that the completions can be enumerated.
        const arrived = order.slice(0, Math.max(0, order.length - 1 - (cut % 5)));
        const all = completions(spec, arrived, 3000);
        if (!all) return;
        const { inputs, marks } = stateAfter(spec, arrived);
        const c = computeCertainty(spec.scheme, certaintyEntries(spec, inputs, marks), targets);
        const worst = new Map<number, number>();
        const best = new Map<number, number>();
        const advances = new Map<number, Set<boolean>>();
        for (const extra of all) {
          const s = stateAfter(spec, [...arrived, ...extra]);
          for (const [id, o] of outcome(spec.scheme, s.inputs, s.marks, targets)) {
            worst.set(id, Math.max(worst.get(id) ?? -Infinity, rankOfTier(o.tier)));
            best.set(id, Math.min(best.get(id) ?? Infinity, rankOfTier(o.tier)));
            if (!advances.has(id)) advances.set(id, new Set());
            advances.get(id)!.add(o.advances);
          }
        }
        const exactRule = targets.prizeRule!.ties !== 'expand' && targets.prizeRule!.tiers.every((t) => t.minScore === undefined);
        for (const e of c.entries) {
          const p = e.prize!;
          const trueWorst = worst.get(e.entryId)!;
          const trueBest = best.get(e.entryId)!;
          // Sound: a guaranteed tier is never worse than the truth allows, a best never better.
          expect(rankOfTier(p.guaranteed)).toBeGreaterThanOrEqual(trueWorst);
          expect(rankOfTier(p.best)).toBeLessThanOrEqual(trueBest);
          if (exactRule) expect(p.exact).toBe(true);
          if (p.exact) {
            expect(rankOfTier(p.guaranteed)).toBe(trueWorst);
            expect(rankOfTier(p.best)).toBe(trueBest);
          }
          const seen = advances.get(e.entryId)!;
          expect(e.advancement).toBe(seen.size === 2 ? 'open' : seen.has(true) ? 'clinched' : 'out_of_reach');
        }
      }),
      { numRuns: 400 },
    );
  });

  it('totals compare as the engine publishes them (hundredths)', () => {
    fc.assert(
      fc.property(specArb(2, 3), (spec) => {
        const c = computeCertainty(spec.scheme, certaintyEntries(spec, spec.entries, []), {});
        for (const e of c.entries) expect(toHundredths(e.min)).toBeLessThanOrEqual(toHundredths(e.max));
      }),
      { numRuns: 50 },
    );
  });
});
