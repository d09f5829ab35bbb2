import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  awardTiers,
  checkLeaderEligibility,
  combineEvaluation,
  openApplication,
  rankByScore,
  rankFiveSmalls,
  studioYearFigures,
  sumFigures,
  totalsBySubtree,
  transition,
} from '../../../server/domain/studios/index.ts';
import {
  achievementSchema,
  fiveSmallsEntrySchema,
  indicatorSheetSchema,
  studioActionSchema,
  studioKindSchema,
  studioLevelSchema,
  studioSettingsPreset,
} from '../../../server/contracts/studios.ts';
import type {
  Achievement,
  EvaluationAggregation,
  EvaluationScore,
  FiveSmallsScore,
  IndicatorSheet,
  SkillLevel,
  StudioState,
} from '../../../server/contracts/studios.ts';
import { addYears } from '../../../server/domain/studios/iso-dates.ts';

/** The same items in another order. */
const shuffled = <T,>(items: readonly T[]): fc.Arbitrary<T[]> => fc.shuffledSubarray([...items], { minLength: items.length, maxLength: items.length });

// ---------------------------------------------------------------------------------------
// Random evaluation rounds: a sheet of 1–4 items, 1–4 applicants, 0–5 reviewers per body, marks
// on a 0.5 grid, some sheets incomplete.

interface Round {
  sheet: IndicatorSheet;
  scores: EvaluationScore[];
  unionWeight: number;
  hrWeight: number;
  aggregation: { union: EvaluationAggregation; hr_bureau: EvaluationAggregation };
}

const aggregationArb = fc.constantFrom<EvaluationAggregation>({ kind: 'mean' }, { kind: 'trimmed_mean', drop: 1 });

const weightsArb = fc.oneof(
  fc.integer({ min: 0, max: 100 }).map((u) => [u, 100 - u] as const),
  fc.integer({ min: 0, max: 10 }).map((k) => [k / 10, (10 - k) / 10] as const),
);

const roundArb: fc.Arbitrary<Round> = fc
  .record({
    maxima: fc.array(fc.constantFrom(5, 10, 20, 25, 40), { minLength: 1, maxLength: 4 }),
    applicants: fc.integer({ min: 1, max: 4 }),
    unionReviewers: fc.integer({ min: 0, max: 5 }),
    hrReviewers: fc.integer({ min: 0, max: 5 }),
    weights: weightsArb,
    aggregation: fc.record({ union: aggregationArb, hr_bureau: aggregationArb }),
  })
  .chain(({ maxima, applicants, unionReviewers, hrReviewers, weights, aggregation }) => {
    const sheet = indicatorSheetSchema.parse({ name: 'p', items: maxima.map((max, i) => ({ id: `i${i}`, name: `item ${i}`, max })) });
    const cells: { reviewerId: number; body: 'union' | 'hr_bureau'; applicantId: number; itemId: string; max: number }[] = [];
    for (let a = 1; a <= applicants; a++) {
      for (let r = 1; r <= unionReviewers + hrReviewers; r++) {
        const body = r <= unionReviewers ? 'union' : 'hr_bureau';
        for (const item of sheet.items) cells.push({ reviewerId: r, body, applicantId: a, itemId: item.id, max: item.max });
      }
    }
    const scoresArb = fc.tuple(
      ...cells.map((c) =>
        fc.option(
          fc.integer({ min: 0, max: c.max * 2 }).map((half) => ({ reviewerId: c.reviewerId, body: c.body, applicantId: c.applicantId, itemId: c.itemId, points: half / 2 })),
          { freq: 12, nil: null },
        ),
      ),
    );
    return scoresArb.map((maybe) => ({
      sheet,
      scores: maybe.filter((s): s is EvaluationScore => s !== null),
      unionWeight: weights[0],
      hrWeight: weights[1],
      aggregation,
    }));
  });

const evaluate = (r: Round, scores = r.scores) =>
  combineEvaluation(r.sheet, scores, { unionWeight: r.unionWeight, hrWeight: r.hrWeight, threshold: 50, aggregation: r.aggregation });

describe('evaluation properties', () => {
  it('the combined score lies between the two bodies’ scores', () => {
    fc.assert(
      fc.property(roundArb, (round) => {
        for (const row of evaluate(round)) {
          if (row.combined === null) continue;
          const parts = [
            round.unionWeight > 0 ? row.union.score : null,
            round.hrWeight > 0 ? row.hrBureau.score : null,
          ].filter((s): s is number => s !== null);
          expect(row.combined).toBeGreaterThanOrEqual(Math.min(...parts));
          expect(row.combined).toBeLessThanOrEqual(Math.max(...parts));
          expect(Math.round(row.combined * 100) / 100).toBe(row.combined);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('the result does not depend on the order of the scores', () => {
    fc.assert(
      fc.property(
        roundArb.chain((r) => fc.tuple(fc.constant(r), shuffled(r.scores))),
        ([round, reordered]) => {
          expect(evaluate(round, reordered)).toEqual(evaluate(round));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('ranks are shared exactly on equal combined scores, and a higher score never ranks lower', () => {
    fc.assert(
      fc.property(roundArb, (round) => {
        const rows = evaluate(round).filter((r) => r.rank !== null);
        rows.forEach((row, i) => {
          const previous = rows[i - 1];
          if (!previous) return expect(row.rank).toBe(1);
          expect(row.combined!).toBeLessThanOrEqual(previous.combined!);
          expect(row.rank).toBe(previous.combined === row.combined ? previous.rank : i + 1);
        });
      }),
      { numRuns: 200 },
    );
  });
});

// ---------------------------------------------------------------------------------------
// Award tiers on random rankings with many ties (scores from a small set).

const rankingArb = fc
  .array(fc.option(fc.integer({ min: 0, max: 8 }), { freq: 8, nil: null }), { minLength: 0, maxLength: 60 })
  .map((scores) =>
    rankByScore(
      scores.map((score, i) => ({ entryId: i + 1, score })),
      (e) => e.score,
      (e) => e.entryId,
    ).map(({ item, rank }) => ({ entryId: item.entryId, rank })),
  );
const countsArb = fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 1, maxLength: 4 });

describe('award tier properties', () => {
  it('with ties "exclude" no tier exceeds its count and tied entries share a tier', () => {
    fc.assert(
      fc.property(rankingArb, countsArb, (ranking, counts) => {
        const result = awardTiers(ranking, { counts, ties: 'exclude' });
        result.tiers.forEach((t, k) => expect(t.awarded).toBeLessThanOrEqual(counts[k]!));
        expect(result.awarded).toBeLessThanOrEqual(counts.reduce((a, b) => a + b, 0));
        checkConsistent(result.rows);
      }),
      { numRuns: 500 },
    );
  });

  it('with ties "include" every place planned is filled while entries last, and only ties add more', () => {
    fc.assert(
      fc.property(rankingArb, countsArb, (ranking, counts) => {
        const result = awardTiers(ranking, { counts, ties: 'include' });
        const planned = counts.reduce((a, b) => a + b, 0);
        const ranked = ranking.filter((r) => r.rank !== null);
        expect(result.awarded).toBeGreaterThanOrEqual(Math.min(planned, ranked.length));
        // entries beyond the planned places are only those tied with the last planned place
        for (const row of result.rows) if (row.tier !== null) expect(row.rank!).toBeLessThanOrEqual(planned);
        checkConsistent(result.rows);
      }),
      { numRuns: 500 },
    );
  });

  it('the award does not depend on the order of the ranking', () => {
    fc.assert(
      fc.property(
        rankingArb.chain((r) => fc.tuple(fc.constant(r), shuffled(r))),
        countsArb,
        fc.constantFrom('include' as const, 'exclude' as const),
        ([ranking, reordered], counts, ties) => {
          expect(awardTiers(reordered, { counts, ties })).toEqual(awardTiers(ranking, { counts, ties }));
        },
      ),
    );
  });
});

/** Tied entries share a tier; a better rank never gets a worse tier (or none while a worse rank gets one). */
function checkConsistent(rows: { rank: number | null; tier: number | null }[]) {
  const byRank = new Map<number, number | null>();
  let worstSoFar = 1;
  let noneSeen = false;
  for (const row of rows) {
    if (row.rank === null) {
      expect(row.tier).toBeNull();
      continue;
    }
    if (byRank.has(row.rank)) expect(row.tier).toBe(byRank.get(row.rank));
    byRank.set(row.rank, row.tier);
    if (row.tier === null) noneSeen = true;
    else {
      expect(noneSeen).toBe(false);
      expect(row.tier).toBeGreaterThanOrEqual(worstSoFar);
      worstSoFar = row.tier;
    }
  }
}

// ---------------------------------------------------------------------------------------
// Five smalls: ranking independent of input order.

describe('five-smalls properties', () => {
  const campaignArb = fc
    .record({ entries: fc.integer({ min: 1, max: 12 }), departments: fc.integer({ min: 1, max: 3 }) })
    .chain(({ entries, departments }) => {
      const cells: { departmentId: number; entryId: number; criterion: FiveSmallsScore['criterion'] }[] = [];
      for (let e = 1; e <= entries; e++)
        for (let d = 1; d <= departments; d++)
          for (const criterion of ['economic', 'social', 'safety', 'management'] as const) cells.push({ departmentId: d, entryId: e, criterion });
      return fc.record({
        entries: fc.constant(Array.from({ length: entries }, (_, i) => fiveSmallsEntrySchema.parse({ id: i + 1, category: 'design', title: `t${i}`, submitter: { type: 'worker', id: i + 1 }, completedOn: '2023-01-01', implemented: true }))),
        departments: fc.array(
          fc.record({ economic: fc.integer({ min: 0, max: 3 }), social: fc.integer({ min: 0, max: 3 }), safety: fc.integer({ min: 0, max: 3 }), management: fc.integer({ min: 1, max: 3 }) }),
          { minLength: departments, maxLength: departments },
        ),
        scores: fc.tuple(...cells.map((c) => fc.option(fc.integer({ min: 0, max: 20 }).map((p) => ({ ...c, points: p * 5 })), { freq: 15, nil: null }))).map((s) => s.filter((x): x is FiveSmallsScore => x !== null)),
        requireAllDepartments: fc.boolean(),
      });
    });

  it('ranking does not depend on the order of entries or scores', () => {
    fc.assert(
      fc.property(
        campaignArb.chain((c) => fc.tuple(fc.constant(c), shuffled(c.entries), shuffled(c.scores))),
        ([c, entries, scores]) => {
          const config = { departments: c.departments.map((weights, i) => ({ id: i + 1, weights })), requireAllDepartments: c.requireAllDepartments };
          const a = rankFiveSmalls(c.entries, c.scores, config);
          expect(rankFiveSmalls(entries, scores, config)).toEqual(a);
          for (const row of a) {
            if (row.combined === null) continue;
            const present = row.departments.flatMap((d) => (d.score === null ? [] : [d.score]));
            expect(row.combined).toBeGreaterThanOrEqual(Math.min(...present));
            expect(row.combined).toBeLessThanOrEqual(Math.max(...present));
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

// ---------------------------------------------------------------------------------------
// Life cycle: random decisions never break the state's invariants.

describe('life-cycle properties', () => {
  // Endings (reject, withdraw, delist) are rare and decisions mostly come from the studio's own
  // line, so that walks get past the application and through several terms.
  const ending = new Set(['reject', 'withdraw', 'delist']);
  const actions = studioActionSchema.exclude(['apply']).options;
  const stepArb = fc.record({
    action: fc.oneof(
      { arbitrary: fc.constantFrom(...actions.filter((a) => !ending.has(a))), weight: 30 },
      { arbitrary: fc.constantFrom(...actions.filter((a) => ending.has(a))), weight: 2 },
    ),
    days: fc.integer({ min: 0, max: 500 }),
    body: fc.constantFrom('line', 'line', 'line', 'joint', 'other line', 'applicant'),
    level: fc.option(fc.constantFrom(...studioLevelSchema.options), { nil: undefined, freq: 4 }),
  });

  it('accepted steps keep the state consistent; refused ones change nothing; ended studios stay ended', () => {
    const reached = new Set<string>();
    fc.assert(
      fc.property(fc.constantFrom(...studioKindSchema.options), fc.array(stepArb, { minLength: 5, maxLength: 40 }), (kind, steps) => {
        const opened = openApplication({ kind, hostEmployerId: 1, leaderPersonId: 2 }, [], { date: '2020-01-01', decidedBy: { body: 'applicant' } });
        if (!opened.ok) throw new Error('opening failed');
        let state: StudioState = opened.state;
        let day = 0;
        for (const s of steps) {
          day += s.days;
          const date = dayAfter('2020-01-01', day);
          const before = structuredClone(state);
          const line = studioSettingsPreset.kinds[kind].line;
          const body = s.body === 'line' ? line : s.body === 'other line' ? (line === 'union' ? 'hr_bureau' : 'union') : s.body;
          const result = transition(state, s.action, { date, decidedBy: { body }, level: s.level });
          expect(state).toEqual(before);
          if (!result.ok) {
            if (['rejected', 'withdrawn', 'delisted'].includes(state.status)) expect(result.code).toBe('terminal_state');
            continue;
          }
          const next = result.state;
          expect(result.step).toMatchObject({ action: s.action, from: state.status, to: next.status, date });
          expect(next.lastStepOn).toBe(date);
          if (next.status !== 'delisted') expect(next.bannedUntil).toBeNull();
          if (['recognised', 'warned', 'expired', 'delisted'].includes(next.status) && next.termEndsOn !== null) {
            expect(next.level).not.toBeNull();
            expect(next.termStartsOn! < next.termEndsOn).toBe(true);
          }
          if (s.action === 'renew' || s.action === 'warn') expect(date < state.termEndsOn!).toBe(true);
          reached.add(s.action);
          state = next;
        }
      }),
      { numRuns: 1000 },
    );
    // the walks do reach the later stages of the life cycle
    for (const action of ['recognise', 'renew', 'warn', 'expire', 'reconfirm', 'delist'] as const) expect(reached).toContain(action);
  });
});

function dayAfter(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------
// Leaders and figures.

describe('leader and figures properties', () => {
  const honourArb = fc.constantFrom('model_worker_city', 'model_worker_county', 'may_day_medal', 'craftsman', 'craftsman_county', 'technical_expert', 'intangible_heritage_inheritor', 'other');
  const levelArb = fc.option(fc.integer({ min: 1, max: 5 }) as fc.Arbitrary<SkillLevel>, { nil: null });

  it('more honours or a higher skill level never makes an eligible leader ineligible', () => {
    fc.assert(
      fc.property(fc.constantFrom(...studioKindSchema.options), fc.array(honourArb), honourArb, levelArb, fc.integer({ min: 0, max: 4 }), (kind, honours, extra, level, raise) => {
        if (!checkLeaderEligibility(kind, { honours, skillLevel: level }).ok) return;
        const better = level === null ? null : (Math.max(1, level - raise) as SkillLevel);
        expect(checkLeaderEligibility(kind, { honours: [...honours, extra], skillLevel: better }).ok).toBe(true);
      }),
    );
  });

  const achievementArb: fc.Arbitrary<Achievement> = fc
    .record({
      studioId: fc.integer({ min: 1, max: 5 }),
      year: fc.integer({ min: 2021, max: 2024 }),
      type: fc.constantFrom('innovation_result', 'patent', 'technical_breakthrough', 'five_smalls', 'economic_benefit', 'apprentices'),
      count: fc.integer({ min: 1, max: 9 }),
      patentKind: fc.constantFrom('invention', 'utility_model', 'design'),
      fen: fc.integer({ min: 0, max: 1e9 }),
    })
    .map((r) => achievementSchema.parse({ ...r, amountYuan: r.fen / 100, trained: r.count * 3, promoted: r.count }));

  it('subtree totals equal the sum of all figures, whatever the order of achievements', () => {
    fc.assert(
      fc.property(fc.array(achievementArb, { maxLength: 40 }).chain((list) => fc.tuple(fc.constant(list), shuffled(list))), ([list, reordered]) => {
        const rows = studioYearFigures(list);
        expect(studioYearFigures(reordered)).toEqual(rows);
        const organisations = [
          { id: 1, parentId: null },
          { id: 2, parentId: 1 },
          { id: 3, parentId: 1 },
          { id: 4, parentId: 2 },
        ];
        const studios = [1, 2, 3, 4, 5].map((id) => ({ id, organisationId: (id % 4) + 1 }));
        const root = totalsBySubtree(rows, studios, organisations).byOrganisation[0]!;
        expect(root.total).toEqual(sumFigures(rows.map((r) => r.figures)));
        expect(sumFigures(root.byYear.map((y) => y.figures))).toEqual(root.total);
        const fen = list.reduce((sum, a) => sum + (a.type === 'economic_benefit' ? Math.round(a.amountYuan * 100) : 0), 0);
        expect(root.total.economicBenefitYuan).toBe(fen / 100);
      }),
    );
  });

  it('addYears keeps the day, or the month’s last day', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1990-01-01'), max: new Date('2090-12-31'), noInvalidDate: true }), fc.integer({ min: -10, max: 10 }), (d, n) => {
        const iso = d.toISOString().slice(0, 10);
        const moved = addYears(iso, n);
        expect(moved.slice(5, 7)).toBe(iso.slice(5, 7));
        expect(Number(moved.slice(0, 4))).toBe(Number(iso.slice(0, 4)) + n);
        if (iso.slice(5) !== '02-29') expect(moved.slice(8)).toBe(iso.slice(8));
      }),
    );
  });
});
