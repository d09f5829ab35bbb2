import { describe, expect, it } from 'vitest';
import { prizeRuleSchema } from '../../server/contracts/awards.ts';
import { computeCertainty, entryBounds, highestOnStep, LiveCertainty, prizeState, tierState, type CertaintyEntry } from '../../server/domain/certainty.ts';
import type { EntryInput, MarkInput } from '../../server/domain/index.ts';
import { entry, marksOf, scheme } from './helpers.ts';

// Worked examples, each computed by hand in the comments.

const open = { marks: true, objective: true };
const closed = { marks: false, objective: false };

/** One practical task out of 10 on one criterion (step 0.5), 5 judges, drop the highest and the lowest. */
const task = scheme({
  parts: [
    {
      id: 'task',
      name: '实操',
      role: 'practical',
      weight: 100,
      max: 10,
      marking: 'rubric',
      criteria: [{ id: 'c', name: '质量', max: 10, step: 0.5 }],
      aggregation: { kind: 'trimmed_mean', drop: 1 },
      expectedMarks: 5,
      minMarks: 3,
    },
  ],
  tieBreaks: [],
});

/** A theory exam (objective, out of 100, weight 100): values entered by staff. */
const exam = scheme({
  parts: [{ id: 'exam', name: '理论', role: 'theory', weight: 100, max: 100, marking: 'objective' }],
  tieBreaks: [],
});

const examEntry = (entryId: number, value: number | undefined, extra: Partial<EntryInput> = {}): CertaintyEntry => ({
  input: entry(entryId, { objective: value === undefined ? {} : { exam: value }, ...extra }),
  marks: [],
  arriving: open,
});

const counts = (ties: 'include' | 'exclude' | 'expand', ...tiers: number[]) =>
  prizeRuleSchema.parse({ basis: 'count', ties, tiers: tiers.map((count, i) => ({ label: ['一等奖', '二等奖', '三等奖'][i]!, count })) });

describe('live certainty: worked examples', () => {
  it('three of five marks in: the trimmed mean can still land anywhere between 50 and 90', () => {
    const marks = [...marksOf(1, 1, 'task', { c: 8 }), ...marksOf(1, 2, 'task', { c: 9 }), ...marksOf(1, 3, 'task', { c: 7 })];
    const b = entryBounds(task, { input: entry(1), marks, arriving: open });
    // Now: 7, 8, 9 → drop 7 and 9 → 8.00 → 8 / 10 × 100 = 80.00 (provisional).
    expect(b.current.total).toBe(80);
    // Lowest: the two missing marks 0 → 0, 0, 7, 8, 9 → drop 0 and 9 → (0 + 7 + 8) / 3 = 5.00 → 50.00.
    expect(b.min.total).toBe(50);
    // Highest: both 10 → 7, 8, 9, 10, 10 → drop 7 and 10 → (8 + 9 + 10) / 3 = 9.00 → 90.00.
    expect(b.max.total).toBe(90);
    expect(b.missing).toBe(2);
    // Marking closed: nothing more arrives, the range closes on the current total.
    const shut = entryBounds(task, { input: entry(1), marks, arriving: closed });
    expect([shut.min.total, shut.max.total, shut.missing]).toEqual([80, 80, 0]);
  });

  it('deductions work the other way round, a half-marked sheet is finished, and the top of a grid is on its step', () => {
    // 扣分制 out of 10: d1 up to 4, d2 up to 2.5 in whole points (so at most 2), mean of 2 judges.
    const safety = scheme({
      parts: [
        {
          id: 'safety',
          name: '安全',
          role: 'practical',
          weight: 100,
          max: 10,
          marking: 'deduction',
          criteria: [
            { id: 'd1', name: 'd1', max: 4, step: 1 },
            { id: 'd2', name: 'd2', max: 2.5, step: 1 },
          ],
          aggregation: { kind: 'mean' },
          expectedMarks: 2,
        },
      ],
      tieBreaks: [],
    });
    expect(highestOnStep(2.5, 1)).toBe(2);
    expect(highestOnStep(0.3, 0.1)).toBe(0.3);
    // Judge 1: 10 − 1 − 0 = 9. Judge 2 has d1 = 2 in, d2 still to come.
    const marks = [...marksOf(1, 1, 'safety', { d1: 1, d2: 0 }), ...marksOf(1, 2, 'safety', { d1: 2 })];
    const b = entryBounds(safety, { input: entry(1), marks, arriving: open });
    // Lowest: d2 = 2 (the largest deduction on its grid) → judge 2: 10 − 2 − 2 = 6; mean (9 + 6) / 2 = 7.5 → 75.00.
    expect(b.min.total).toBe(75);
    // Highest: d2 = 0 → 8; (9 + 8) / 2 = 8.5 → 85.00.
    expect(b.max.total).toBe(85);
    expect(b.missing).toBe(1);
  });

  it('a shared rank at a prize boundary: include, exclude and expand each decide it their own way', () => {
    // Exam results: No. 1 and No. 2 are in with 80 each, No. 3 with 70, No. 4 still to come
    // (anything from 0 to 100). One first prize, one second prize. No tie-breaks: equal totals share a rank.
    const entries = [examEntry(1, 80), examEntry(2, 80), examEntry(3, 70), examEntry(4, undefined)];

    // include: a group's first place decides. No. 1 and 2 have at most No. 4 ahead (1 < 2 places of
    // tiers 1–2: second prize sure) and nobody ahead for sure (0 < 1: first prize possible).
    // No. 3 has No. 1 and 2 ahead for sure: 2 ≥ 2 places, no prize possible.
    const inc = computeCertainty(exam, entries, { prizeRule: counts('include', 1, 1) }).entries;
    expect(inc.map((e) => e.prize)).toEqual([
      { guaranteed: 2, best: 1, exact: true },
      { guaranteed: 2, best: 1, exact: true },
      { guaranteed: null, best: null, exact: true },
      { guaranteed: null, best: 1, exact: true },
    ]);
    expect(tierState(inc[0]!.prize!, 2)).toBe('clinched');
    expect(tierState(inc[0]!.prize!, 1)).toBe('open');
    expect(prizeState(inc[2]!.prize!)).toBe('out_of_reach');

    // exclude: a group's last place decides. No. 1 counts No. 2 (tied) and perhaps No. 4 ahead: 2
    // at or ahead, not < 2, so no prize is sure; at best only No. 2 is level: 1 < 2, a second prize.
    // A first prize is out of reach: with No. 2 level, the pair never fits in one place.
    const exc = computeCertainty(exam, entries, { prizeRule: counts('exclude', 1, 1) }).entries;
    expect(exc[0]!.prize).toEqual({ guaranteed: null, best: 2, exact: true });
    expect(exc[2]!.prize).toEqual({ guaranteed: null, best: null, exact: true });

    // expand: the pair takes its tier and the next tier still gets its full count. No. 1 and 2:
    // second prize sure (at worst No. 4 first, the pair second), first possible. No. 3: if No. 4
    // stays at or below 70, the pair is first and No. 3 (with No. 4) second; never first (two are
    // ahead of it for sure and the first tier has one place).
    const exp = computeCertainty(exam, entries, { prizeRule: counts('expand', 1, 1) }).entries;
    expect(exp[0]!.prize).toEqual({ guaranteed: 2, best: 1, exact: true });
    expect(exp[2]!.prize).toEqual({ guaranteed: null, best: 2, exact: true });

    // Once No. 4's 85 is in: include gives No. 4 the first prize, the pair the second; No. 3 none.
    entries[3] = examEntry(4, 85);
    const done = computeCertainty(exam, entries, { prizeRule: counts('include', 1, 1) }).entries;
    expect(done.map((e) => [e.prize!.guaranteed, e.prize!.best])).toEqual([
      [2, 2],
      [2, 2],
      [null, null],
      [1, 1],
    ]);
  });

  it('a minimum score (分数线) keeps a prize from whoever is below it', () => {
    // First prize needs 90. No. 1 has 95, No. 2 is still to come, No. 3 has 88 (below the line).
    const rule = prizeRuleSchema.parse({ basis: 'count', tiers: [{ label: '一等奖', count: 1, minScore: 90 }, { label: '二等奖', count: 2 }] });
    const c = computeCertainty(exam, [examEntry(1, 95), examEntry(2, undefined), examEntry(3, 88)], { prizeRule: rule }).entries;
    // No. 1: worst case No. 2 gets 100 and the first prize; No. 1 is then second (2 places): second sure, first open.
    expect(c[0]!.prize).toMatchObject({ guaranteed: 2, best: 1 });
    // No. 3 can never meet the line: first prize out of reach; second: at worst No. 1 and 2 are
    // both ahead and No. 2 misses the line, so both take the two second prizes — no prize sure.
    expect(c[2]!.prize).toMatchObject({ guaranteed: null, best: 2 });
    expect(tierState(c[2]!.prize!, 1)).toBe('out_of_reach');
  });

  it('advancement: top 2 with ties at the cut included, and a minimum score', () => {
    const entries = [examEntry(1, 90), examEntry(2, 60), examEntry(3, undefined), examEntry(4, 40)];
    const top2 = computeCertainty(exam, entries, { advancement: { rule: { kind: 'top_n', n: 2 }, tiesAtCut: 'include' } });
    // No. 1: at most No. 3 ahead (1 < 2): through. No. 2: No. 1 ahead for sure and No. 3 maybe
    // (2, not < 2) but at best only No. 1 (1 < 2): open. No. 4: two ahead for sure: out.
    expect(top2.entries.map((e) => e.advancement)).toEqual(['clinched', 'open', 'open', 'out_of_reach']);
    expect(top2.advancementPlaces).toBe(2);
    const line = computeCertainty(exam, entries, { advancement: { rule: { kind: 'min_score', score: 60 }, tiesAtCut: 'include' } });
    // 90 and 60 meet 60 whatever comes; No. 3 may or may not; 40 never.
    expect(line.entries.map((e) => e.advancement)).toEqual(['clinched', 'clinched', 'open', 'out_of_reach']);
  });

  it('withdrawn, absent and disqualified entries follow the engine: unranked entries are out, withdrawn never advance', () => {
    const entries = [
      examEntry(1, 70),
      examEntry(2, 95, { status: 'withdrawn' }),
      { ...examEntry(3, undefined, { status: 'absent' }), arriving: { marks: false, objective: false } },
      examEntry(4, 50),
    ];
    const c = computeCertainty(exam, entries, { prizeRule: counts('include', 1, 1), advancement: { rule: { kind: 'top_n', n: 1 }, tiesAtCut: 'include' } });
    // The withdrawn No. 2 ranks after everyone who stayed (95 or not): 3rd of 3 ranked, no prize with 2 places.
    expect(c.entries.map((e) => [e.ranked, e.prize!.guaranteed, e.prize!.best, e.advancement])).toEqual([
      [true, 1, 1, 'clinched'],
      [true, null, null, 'out_of_reach'],
      [false, null, null, 'out_of_reach'],
      [true, 2, 2, 'out_of_reach'],
    ]);
    expect(c.prizeEntrants).toBe(3);
  });

  it('a missing completion time can still decide a tie: worst when it never comes, best at 0 s', () => {
    const timed = scheme({ parts: [{ id: 'exam', name: '理论', role: 'theory', weight: 100, max: 100, marking: 'objective' }], tieBreaks: ['completion_time'] });
    const c = computeCertainty(timed, [examEntry(1, 80, { completionSeconds: 600 }), examEntry(2, 80)], { prizeRule: counts('include', 1) });
    // No. 2 at 0 s beats No. 1's 600 s; with no time it sorts after: both can still win or lose.
    expect(c.entries.map((e) => [e.prize!.guaranteed, e.prize!.best])).toEqual([
      [null, 1],
      [null, 1],
    ]);
  });

  it('LiveCertainty re-bounds only the entry that changed and re-decides everyone', () => {
    const live = new LiveCertainty(exam, { prizeRule: counts('include', 1) }, [examEntry(1, 80), examEntry(2, undefined)]);
    expect(live.result().entries.map((e) => prizeState(e.prize!))).toEqual(['open', 'open']);
    live.update(examEntry(2, 79.5));
    expect(live.result().entries.map((e) => prizeState(e.prize!))).toEqual(['clinched', 'out_of_reach']);
  });

  it('marks of a per-criterion panel: each criterion owes its own panel', () => {
    const split = scheme({
      parts: [
        {
          id: 'task',
          name: '实操',
          role: 'practical',
          weight: 100,
          max: 20,
          marking: 'rubric',
          panel: 'criterion',
          criteria: [
            { id: 'a', name: 'a', max: 10, step: 1 },
            { id: 'b', name: 'b', max: 10, step: 1 },
          ],
          aggregation: { kind: 'mean' },
          expectedMarks: 2,
        },
      ],
      tieBreaks: [],
    });
    // a: judges 1 and 2 gave 6 and 8 (mean 7); b: judge 3 gave 4, one more owed.
    const marks: MarkInput[] = [
      { entryId: 1, judgeId: 1, partId: 'task', criterionId: 'a', value: 6 },
      { entryId: 1, judgeId: 2, partId: 'task', criterionId: 'a', value: 8 },
      { entryId: 1, judgeId: 3, partId: 'task', criterionId: 'b', value: 4 },
    ];
    const b = entryBounds(split, { input: entry(1), marks, arriving: open });
    // Lowest: b = (4 + 0) / 2 = 2 → 7 + 2 = 9 of 20 → 45.00; highest: b = (4 + 10) / 2 = 7 → 14 of 20 → 70.00.
    expect([b.min.total, b.max.total, b.missing]).toEqual([45, 70, 1]);
  });
});
